import { describe, expect, it } from 'vitest';
import { maskDocument, maskEmail, maskName, maskPhone, maskPii, scrubPii } from './pii-mask.js';

describe('PII masks', () => {
  it('keeps only the check digits of a CPF or CNPJ', () => {
    expect(maskDocument('123.456.789-09')).toBe('***.***.***-09');
    expect(maskDocument('12345678909')).toBe('***.***.***-09');
    expect(maskDocument('11.222.333/0001-81')).toBe('**.***.***/****-81');
  });

  it('keeps the first letters and the top-level domain of an e-mail', () => {
    expect(maskEmail('joao.silva@gmail.com')).toBe('j***@g***.com');
    expect(maskEmail('maria@empresa.com.br')).toBe('m***@e***.br');
  });

  it('keeps country, area code and the last two digits of a phone', () => {
    expect(maskPhone('+55 11 98765-4334')).toBe('+55 11 *****-**34');
    expect(maskPhone('+5511987654334')).toBe('+55 11 *****-**34');
    expect(maskPhone('(11) 3456-7812')).toBe('+55 11 ****-**12');
  });

  it('keeps initials of a name', () => {
    expect(maskName('João Silva')).toBe('J*** S***');
    expect(maskName('  ')).toBe('***');
  });

  it('guesses the kind of a bare value, reads identity-key prefixes, keeps null', () => {
    expect(maskPii('joao.silva@gmail.com')).toBe('j***@g***.com');
    expect(maskPii('123.456.789-09')).toBe('***.***.***-09');
    expect(maskPii('+55 11 98765-4334')).toBe('+55 11 *****-**34');
    expect(maskPii('Ana Maria Souza')).toBe('A*** M*** S***');
    expect(maskPii('cpf:12345678909')).toBe('cpf:***.***.***-09');
    expect(maskPii('email:ana@x.com')).toBe('email:a***@x***.com');
    expect(maskPii(null)).toBeNull();
    expect(maskPii(42)).toBe('***');
  });

  it('scrubs e-mails, documents and phones out of free text', () => {
    const text = scrubPii('customer joao.silva@gmail.com (123.456.789-09, +55 11 98765-4334) not found');
    expect(text).toBe('customer j***@g***.com (***.***.***-09, +55 11 *****-**34) not found');
  });
});
