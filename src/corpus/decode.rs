//! Bytes -> text: byte-order marks, UTF-8, UTF-16, and the legacy Chinese encodings (GB18030/GBK,
//! Big5), detected from the bytes rather than guessed from the file name.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use crate::FileErrorKind;

/// How much of a file is sniffed for NUL bytes and for encoding detection.
const SNIFF: usize = 64 * 1024;

/// Decodes a file's bytes. Returns the text and the name of the encoding it was in.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), FileErrorKind> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(FileErrorKind::Encoding);
        }
        return Ok((text.into_owned(), encoding.name()));
    }
    if let Some(offset) = bytes.iter().take(SNIFF).position(|&b| b == 0) {
        // UTF-16 without a byte-order mark: ASCII text has every other byte NUL.
        if let Some(encoding) = utf16_without_bom(bytes) {
            let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
            if !had_errors {
                return Ok((text.into_owned(), encoding.name()));
            }
        }
        return Err(FileErrorKind::Binary { offset });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), UTF_8.name()));
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(&bytes[..bytes.len().min(SNIFF)], bytes.len() <= SNIFF);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors || encoding == UTF_8 || looks_binary(&text) {
        return Err(FileErrorKind::Encoding);
    }
    Ok((text.into_owned(), encoding.name()))
}

/// Single-byte encodings decode any bytes; text that is more than 1% control characters was not
/// text in the first place.
fn looks_binary(text: &str) -> bool {
    let total = text.chars().count().max(1);
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    controls * 100 > total
}

fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(SNIFF) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_nuls = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nuls = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    // Mostly-ASCII UTF-16 has NULs in one byte of nearly every pair and none in the other.
    if odd_nuls * 10 >= pairs * 9 && even_nuls == 0 {
        Some(UTF_16LE)
    } else if even_nuls * 10 >= pairs * 9 && odd_nuls == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_supported_encoding() {
        let text = "外交部发言人：中美关系 and more text 2021年。";
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        let traditional = "立法會會議過程正式紀錄，主席：各位議員早晨，我們現在開會。";
        let (big5, _, _) = encoding_rs::BIG5.encode(traditional);
        let mut utf16le = vec![0xFF, 0xFE];
        utf16le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let mut utf16be = vec![0xFE, 0xFF];
        utf16be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend(text.as_bytes());
        let cases: Vec<(&[u8], &str, &str)> = vec![
            (text.as_bytes(), text, "UTF-8"),
            (&bom8, text, "UTF-8"),
            (&utf16le, text, "UTF-16LE"),
            (&utf16be, text, "UTF-16BE"),
            (&gb, text, "gb18030"),
            (&big5, traditional, "Big5"),
        ];
        for (bytes, want, enc) in cases {
            let (got, name) = decode(bytes).unwrap_or_else(|e| panic!("{enc}: {e}"));
            assert_eq!(got, want, "{enc}");
            assert!(
                name.eq_ignore_ascii_case(enc) || enc == "gb18030" && name == "GBK",
                "{enc} detected as {name}"
            );
        }
    }

    #[test]
    fn binary_is_refused_with_the_offset() {
        let bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01\x02\xff\xfe";
        assert_eq!(decode(bytes), Err(FileErrorKind::Binary { offset: 8 }));
    }
}
