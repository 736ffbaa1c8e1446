import { describe, expect, it } from 'vitest';
import { isMaskedVtexEmail, normalizeEmail, normalizePhone } from '../../../shared/contact-normalize.js';
import { resolveCustomerKey } from './customer-key.js';

describe('customer identity', () => {
  it('prefers a verified CPF, then a CNPJ for corporate buyers', () => {
    expect(resolveCustomerKey({ document: '529.982.247-25', email: 'a@b.com' })).toEqual({ key: 'cpf:52998224725', type: 'cpf' });
    expect(resolveCustomerKey({ document: '52998224725', corporateDocument: '11.222.333/0001-81' })).toEqual({
      key: 'cnpj:11222333000181', type: 'cnpj',
    });
  });

  it('never keys by a CPF with wrong check digits or by a masked VTEX email alias', () => {
    expect(resolveCustomerKey({ document: '52998224724', email: '9a3f0c2e5b7d4c18a6e2f41b0d8c7e53@ct.vtex.com.br', phone: '(11) 98765-4321' })).toEqual({
      key: 'phone:+5511987654321', type: 'phone',
    });
    expect(isMaskedVtexEmail('johndoe@vtex.com.br-207700027841b.ct.vtex.com.br')).toBe(true);
    expect(normalizeEmail('ff2e6348a53a4d449af92be2a1011328@ct.vtex.com.br')).toBeUndefined();
  });

  it('falls back to a real email, then phone, then the VTEX profile id', () => {
    expect(resolveCustomerKey({ email: ' Mariana.Souza@Example.com ' })?.key).toBe('email:mariana.souza@example.com');
    expect(resolveCustomerKey({ phone: '+55 11 98765-4321' })?.key).toBe('phone:+5511987654321');
    expect(resolveCustomerKey({ userProfileId: '3F2A9C1E-7B4D-4E8A-9C61-0D5E2B7F4A18' })?.key).toBe('profile:3f2a9c1e-7b4d-4e8a-9c61-0d5e2b7f4a18');
    expect(resolveCustomerKey({})).toBeUndefined();
  });

  it('normalises Brazilian phones to E.164', () => {
    expect(normalizePhone('011 3456-7890')).toBe('+551134567890');
    expect(normalizePhone('5511987654321')).toBe('+5511987654321');
    expect(normalizePhone('123')).toBeUndefined();
  });
});
