//! The AES-GCM encryption of Python's `eventsourcing`, undone: the cipher key read from base64 and a stored
//! payload (nonce, tag, then ciphertext) decrypted with it.

/// Parse a cipher key given as base64 (standard or URL-safe, padded or not).
pub fn parse_key(text: &str) -> Result<Vec<u8>, String> {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let text = text.trim();
    let key = [STANDARD, URL_SAFE, STANDARD_NO_PAD, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
        .ok_or_else(|| "the cipher key is not base64".to_owned())?;
    match key.len() {
        16 | 24 | 32 => Ok(key),
        n => Err(format!(
            "the cipher key has {n} bytes; AES needs 16, 24 or 32"
        )),
    }
}

pub(super) fn decrypt_eventsourcing(key: &[u8], bytes: &[u8]) -> Result<Vec<u8>, String> {
    use aes_gcm::aead::{Aead as _, KeyInit as _};
    let (Some(nonce), Some(tag), Some(body)) =
        (bytes.get(..12), bytes.get(12..28), bytes.get(28..))
    else {
        return Err(format!(
            "too short to be AES-GCM encrypted ({} bytes)",
            bytes.len()
        ));
    };
    // The crate wants ciphertext followed by the tag.
    let mut sealed = body.to_vec();
    sealed.extend_from_slice(tag);
    let nonce = aes_gcm::Nonce::<aes_gcm::aes::cipher::consts::U12>::try_from(nonce)
        .map_err(|_| "bad nonce length".to_owned())?;
    let failed = |_| "decryption failed: wrong key, or not encrypted with it".to_owned();
    let bad_key = |_| "the cipher key has the wrong length".to_owned();
    match key.len() {
        16 => aes_gcm::Aes128Gcm::new_from_slice(key).map_err(bad_key)?.decrypt(&nonce, sealed.as_slice()).map_err(failed),
        32 => aes_gcm::Aes256Gcm::new_from_slice(key).map_err(bad_key)?.decrypt(&nonce, sealed.as_slice()).map_err(failed),
        24 => aes_gcm::AesGcm::<aes_gcm::aes::Aes192, aes_gcm::aes::cipher::consts::U12>::new_from_slice(key)
            .map_err(bad_key)?
            .decrypt(&nonce, sealed.as_slice())
            .map_err(failed),
        n => Err(format!("the cipher key has {n} bytes; AES needs 16, 24 or 32")),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::tests::{compressed, decoded, raw_reason};
    use super::super::*;

    #[test]
    fn eventsourcing_aes_gcm_payloads_decrypt_with_the_key_and_stay_raw_without_it() {
        use aes_gcm::aead::{Aead as _, KeyInit as _};
        let key = [7u8; 32];
        let nonce = [3u8; 12];
        let cipher = aes_gcm::Aes256Gcm::new_from_slice(&key).unwrap();
        let n = aes_gcm::Nonce::<aes_gcm::aes::cipher::consts::U12>::try_from(&nonce[..]).unwrap();
        let sealed = cipher.encrypt(&n, br#"{"a":1}"#.as_slice()).unwrap();
        let (body, tag) = sealed.split_at(sealed.len() - 16);
        let stored = [&nonce[..], tag, body].concat();
        let codec = Codec {
            encryption: Some(Encryption::EventsourcingAesGcm),
            format: Format::Json,
            transform: None,
            ..Codec::default()
        };
        let with_key = Decoder::new(codec.clone(), Some(key.to_vec()));
        assert_eq!(
            decoded(&with_key, &stored).data,
            Payload::Json(json!({"a": 1}))
        );
        let without = Decoder::new(codec.clone(), None);
        let Payload::Raw { bytes, reason } = decoded(&without, &stored).data else {
            panic!("must stay raw")
        };
        assert_eq!(bytes, stored);
        assert!(reason.contains("key"), "{reason}");
        let wrong = Decoder::new(codec, Some(vec![9u8; 32]));
        let Payload::Raw { reason, .. } = decoded(&wrong, &stored).data else {
            panic!("must stay raw")
        };
        assert!(reason.contains("wrong key"), "{reason}");
    }

    fn encrypted(key: &[u8; 32], plain: &[u8]) -> Vec<u8> {
        use aes_gcm::aead::{Aead as _, KeyInit as _};
        let nonce = [3u8; 12];
        let cipher = aes_gcm::Aes256Gcm::new_from_slice(key).unwrap();
        let n = aes_gcm::Nonce::<aes_gcm::aes::cipher::consts::U12>::try_from(&nonce[..]).unwrap();
        let sealed = cipher.encrypt(&n, plain).unwrap();
        let (body, tag) = sealed.split_at(sealed.len() - 16);
        [&nonce[..], tag, body].concat()
    }

    #[test]
    fn encrypted_payloads_are_capped_before_and_after_decryption() {
        let key = [7u8; 32];
        let codec = Codec {
            encryption: Some(Encryption::EventsourcingAesGcm),
            format: Format::Json,
            transform: None,
            ..Codec::default()
        };
        let decoder = Decoder::new(codec, Some(key.to_vec())).with_max_payload_bytes(4096);
        let big = encrypted(&key, &[b' '; 8192]);
        let reason = raw_reason(decoded(&decoder, &big).data);
        assert!(
            reason.contains("decrypted payload would be over the 4096-byte limit"),
            "{reason}"
        );
        let bomb = encrypted(&key, &compressed(Compression::Zlib, &[0u8; 1024], 1024));
        let reason = raw_reason(decoded(&decoder, &bomb).data);
        assert!(
            reason.contains("zlib-compressed payload inflates past"),
            "{reason}"
        );
        assert!(
            reason.contains(&format!("({} bytes stored)", bomb.len())),
            "{reason}"
        );
    }

    #[test]
    fn cipher_keys_are_read_from_base64() {
        assert_eq!(parse_key("AAAAAAAAAAAAAAAAAAAAAA==").unwrap().len(), 16);
        assert!(parse_key("not base64!").is_err());
        assert!(parse_key("AAAA").unwrap_err().contains("3 bytes"));
    }
}
