/** The Luhn checksum (ISO/IEC 7812-1) that every payment card number satisfies. */

/** The Luhn sum of `digits`, doubling every second digit from the right (the check digit's place counts as 0). */
function luhnSum(digits: string, checkDigitIncluded: boolean): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === (checkDigitIncluded ? 1 : 0)) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum;
}

/** True when the last digit of `digits` is its Luhn check digit. */
export function luhnValid(digits: string): boolean {
  return luhnSum(digits, true) % 10 === 0;
}

/** `digits` followed by its Luhn check digit. */
export function withLuhnDigit(digits: string): string {
  return `${digits}${(10 - (luhnSum(digits, false) % 10)) % 10}`;
}
