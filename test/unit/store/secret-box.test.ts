import { generateSecretKey, SecretBox } from '../../../src/store/repositories/secret-box';

describe('SecretBox: a wrong key is told apart from a modified ciphertext', () => {
  const writer = SecretBox.fromString(generateSecretKey());
  const sealed = writer.seal('access-token', 'dnevnik-link-1');

  it('opens with the key it was sealed with', () => {
    expect(writer.open(sealed, 'dnevnik-link-1')).toBe('access-token');
  });

  it('another key is store.secret_wrong_key, naming both key ids', () => {
    const other = SecretBox.fromString(generateSecretKey());
    expect(() => other.open(sealed, 'dnevnik-link-1')).toThrow(
      expect.objectContaining({ code: 'store.secret_wrong_key', message: expect.stringContaining(`ключ записи ${writer.keyId}, задан ключ ${other.keyId}`) }),
    );
  });

  it('a modified ciphertext under the right key is still store.secret_tampered', () => {
    const flipped = Buffer.from(sealed.ciphertext, 'base64');
    flipped[0] ^= 1;
    expect(() => writer.open({ ...sealed, ciphertext: flipped.toString('base64') }, 'dnevnik-link-1')).toThrow(expect.objectContaining({ code: 'store.secret_tampered' }));
  });
});
