use super::*;
use proptest::prelude::*;

fn fper() -> Fingerprinter {
    Fingerprinter::new(&Config::default()).unwrap()
}

const STORY: &str = "Acme Corp said on Tuesday its third-quarter profit rose 12 percent to \
    4.5 billion dollars, beating forecasts, as demand for its trucks held up in Europe \
    and North America. Chief Executive Jane Doe said the company would raise prices.";

/// Text of a few sentences from `words` indices, with names and figures.
fn text_of(words: &[u16]) -> String {
    words
        .iter()
        .map(|&w| match w % 7 {
            0 => format!("Name{}", w / 7),
            1 => format!("{}.{}", w, w % 10),
            _ => format!("word{w}"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

proptest! {
    /// Fingerprints of any text, headline, outlet and time come back whole.
    #[test]
    fn round_trip_of_fingerprints(
        words in proptest::collection::vec(0u16..400, 0..300),
        title in proptest::collection::vec(0u16..60, 0..20),
        outlet in proptest::option::of("[A-Za-z ]{0,12}"),
        published in proptest::option::of(-62_000_000_000i64..253_402_300_799),
    ) {
        let f = fper();
        let title = text_of(&title);
        let fp = f.fingerprint(Some(&title), &text_of(&words), outlet.as_deref(), published);
        let bytes = fp.to_bytes();
        prop_assert_eq!(bytes.len(), Fingerprint::stored_len(128));
        prop_assert_eq!(Fingerprint::from_bytes(&bytes).unwrap(), fp);
    }

    /// Any bytes of the layout (counts within their slots) decode, and
    /// encode to the very same bytes: no field is dropped or normalized.
    #[test]
    fn round_trip_of_any_valid_bytes(
        k in 1usize..200,
        seed in any::<u64>(),
        used in (0u8..=24, 0u8..=16, 0u8..=12),
    ) {
        let mut bytes = vec![0u8; Fingerprint::stored_len(k)];
        let mut x = seed;
        for b in bytes.iter_mut() {
            x = crate::seeds::splitmix64(x);
            *b = x as u8;
        }
        bytes[..4].copy_from_slice(&MAGIC);
        bytes[4] = VERSION;
        bytes[5] = 0;
        bytes[6..8].copy_from_slice(&(k as u16).to_le_bytes());
        let anchors = 12 + 2 * k + 2 * LEDE_K;
        let figures = anchors + 1 + 4 + 4 * crate::verify::ANCHOR_K;
        let header = figures + 1 + 2 + 2 * crate::verify::FK;
        bytes[anchors] = used.0;
        bytes[figures] = used.1;
        bytes[header] = used.2;
        let fp = Fingerprint::from_bytes(&bytes).unwrap();
        prop_assert_eq!(fp.signature().len(), k);
        prop_assert_eq!(fp.anchors().values().len(), used.0 as usize);
        prop_assert_eq!(fp.figures().values().len(), used.1 as usize);
        prop_assert_eq!(fp.header().headline_words().len(), used.2 as usize);
        prop_assert_eq!(fp.to_bytes(), bytes);
    }
}

#[test]
fn bad_bytes_are_refused_with_why() {
    let bytes = fper()
        .fingerprint(Some("Acme profit rises"), STORY, Some("AP"), Some(0))
        .to_bytes();
    assert!(matches!(
        Fingerprint::from_bytes(&bytes[..bytes.len() - 1]),
        Err(DecodeError::Length {
            k: 128,
            expected: 481,
            found: 480
        })
    ));
    assert!(matches!(
        Fingerprint::from_bytes(&bytes[..5]),
        Err(DecodeError::Length { .. })
    ));
    let mut b = bytes.clone();
    b[0] = b'X';
    assert_eq!(Fingerprint::from_bytes(&b), Err(DecodeError::Magic));
    let mut b = bytes.clone();
    b[4] = 2;
    assert_eq!(Fingerprint::from_bytes(&b), Err(DecodeError::Version(2)));
    let mut b = bytes.clone();
    b[5] = 1;
    assert_eq!(
        Fingerprint::from_bytes(&b),
        Err(DecodeError::Field("reserved"))
    );
    let mut b = bytes.clone();
    b[12 + 256 + 16] = 25;
    assert_eq!(
        Fingerprint::from_bytes(&b),
        Err(DecodeError::Field("anchors.used"))
    );
    let msg = Fingerprint::from_bytes(&b"WTFP\x09\0\0\0\0\0\0\0"[..])
        .unwrap_err()
        .to_string();
    assert!(msg.contains("version 9"), "{msg}");
}

#[test]
fn the_fixed_fields_sit_where_the_docs_say() {
    let fp = fper().fingerprint(
        Some("Acme profit rises"),
        STORY,
        Some("AP"),
        Some(1_700_000_000),
    );
    let b = fp.to_bytes();
    assert_eq!(&b[..4], b"WTFP");
    assert_eq!(b[4], 1);
    assert_eq!(u16::from_le_bytes([b[6], b[7]]), 128);
    assert_eq!(
        u32::from_le_bytes(b[8..12].try_into().unwrap()),
        fp.shingle_count()
    );
    assert_eq!(u16::from_le_bytes([b[12], b[13]]), fp.signature()[0]);
    // The header's time: offset 169 + 2k (docs/fingerprint.md), 425 at k = 128.
    assert_eq!(
        i64::from_le_bytes(b[425..433].try_into().unwrap()),
        1_700_000_000
    );
    assert_eq!(fp.header().published(), Some(1_700_000_000));
}

#[test]
fn batch_and_scratch_forms_equal_the_plain_one() {
    let f = fper();
    let texts: Vec<String> = (0..200)
        .map(|i| format!("{STORY} Story {i} of the day."))
        .collect();
    let inputs: Vec<Input> = texts
        .iter()
        .map(|t| Input {
            title: Some("Acme profit"),
            text: t,
            outlet: Some("Reuters"),
            published: Some(5),
        })
        .collect();
    let batch = f.fingerprint_batch(&inputs);
    let mut scratch = Scratch::new();
    for (i, t) in texts.iter().enumerate() {
        let plain = f.fingerprint(Some("Acme profit"), t, Some("Reuters"), Some(5));
        assert_eq!(batch[i], plain);
        assert_eq!(
            f.fingerprint_with(
                &mut scratch,
                Some("Acme profit"),
                t,
                Some("Reuters"),
                Some(5)
            ),
            plain
        );
    }
    assert!(scratch.take_nanos().normalize > 0);
}

#[test]
fn shingle_set_is_sorted_and_the_size_counted() {
    let f = fper();
    let set = f.shingle_set(STORY);
    assert!(set.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(
        set.len() as u32,
        f.fingerprint(None, STORY, None, None).shingle_count()
    );
}

#[test]
fn fingerprinted_cuts_long_text_at_a_char_boundary() {
    assert_eq!(fingerprinted("short"), "short");
    let long = "é".repeat(MAX_FINGERPRINT_BYTES / 2 + 10);
    let cut = fingerprinted(&long);
    assert!(cut.len() <= MAX_FINGERPRINT_BYTES && cut.len() > MAX_FINGERPRINT_BYTES - 2);
}
