//! Countries: ISO 3166-1 alpha-2 codes and their English names, as OpenAlex
//! names them (its API's country vocabulary, `config/countries.yaml` of
//! ourresearch/openalex-elastic-api, MIT), with the other names published
//! tables use ([`ALIASES`]). Names map to codes only through these tables:
//! an unknown name is reported, never guessed.

/// (code, name) of every country OpenAlex knows, by code.
pub const COUNTRIES: [(&str, &str); 247] = [
    ("AD", "Andorra"),
    ("AE", "United Arab Emirates"),
    ("AF", "Afghanistan"),
    ("AG", "Antigua and Barbuda"),
    ("AI", "Anguilla"),
    ("AL", "Albania"),
    ("AM", "Armenia"),
    ("AO", "Angola"),
    ("AQ", "Antarctica"),
    ("AR", "Argentina"),
    ("AS", "American Samoa"),
    ("AT", "Austria"),
    ("AU", "Australia"),
    ("AW", "Aruba"),
    ("AX", "Åland Islands"),
    ("AZ", "Azerbaijan"),
    ("BA", "Bosnia & Herzegovina"),
    ("BB", "Barbados"),
    ("BD", "Bangladesh"),
    ("BE", "Belgium"),
    ("BF", "Burkina Faso"),
    ("BG", "Bulgaria"),
    ("BH", "Bahrain"),
    ("BI", "Burundi"),
    ("BJ", "Benin"),
    ("BL", "Saint Barthélemy"),
    ("BM", "Bermuda"),
    ("BN", "Brunei"),
    ("BO", "Bolivia"),
    ("BQ", "Caribbean Netherlands"),
    ("BR", "Brazil"),
    ("BS", "Bahamas"),
    ("BT", "Bhutan"),
    ("BV", "Bouvet Island"),
    ("BW", "Botswana"),
    ("BY", "Belarus"),
    ("BZ", "Belize"),
    ("CA", "Canada"),
    ("CC", "Cocos (Keeling) Islands"),
    ("CD", "DR Congo"),
    ("CF", "Central African Republic"),
    ("CG", "Congo"),
    ("CH", "Switzerland"),
    ("CI", "Ivory Coast"),
    ("CK", "Cook Islands"),
    ("CL", "Chile"),
    ("CM", "Cameroon"),
    ("CN", "China"),
    ("CO", "Colombia"),
    ("CR", "Costa Rica"),
    ("CU", "Cuba"),
    ("CV", "Cabo Verde"),
    ("CW", "Curaçao"),
    ("CX", "Christmas Island"),
    ("CY", "Cyprus"),
    ("CZ", "Czechia"),
    ("DE", "Germany"),
    ("DJ", "Djibouti"),
    ("DK", "Denmark"),
    ("DM", "Dominica"),
    ("DO", "Dominican Rep."),
    ("DZ", "Algeria"),
    ("EC", "Ecuador"),
    ("EE", "Estonia"),
    ("EG", "Egypt"),
    ("ER", "Eritrea"),
    ("ES", "Spain"),
    ("ET", "Ethiopia"),
    ("FI", "Finland"),
    ("FJ", "Fiji"),
    ("FK", "Falkland Islands"),
    ("FM", "Micronesia"),
    ("FO", "Faroe Islands"),
    ("FR", "France"),
    ("GA", "Gabon"),
    ("GB", "United Kingdom"),
    ("GD", "Grenada"),
    ("GE", "Georgia"),
    ("GF", "French Guiana"),
    ("GG", "Guernsey"),
    ("GH", "Ghana"),
    ("GI", "Gibraltar"),
    ("GL", "Greenland"),
    ("GM", "Gambia"),
    ("GN", "Guinea"),
    ("GP", "Guadeloupe"),
    ("GQ", "Equatorial Guinea"),
    ("GR", "Greece"),
    ("GS", "South Georgia & South Sandwich Is."),
    ("GT", "Guatemala"),
    ("GU", "Guam"),
    ("GW", "Guinea-Bissau"),
    ("GY", "Guyana"),
    ("HK", "Hong Kong"),
    ("HM", "Heard & McDonald Islands"),
    ("HN", "Honduras"),
    ("HR", "Croatia"),
    ("HT", "Haiti"),
    ("HU", "Hungary"),
    ("ID", "Indonesia"),
    ("IE", "Ireland"),
    ("IL", "Israel"),
    ("IM", "Isle of Man"),
    ("IN", "India"),
    ("IO", "British Indian Ocean Territory"),
    ("IQ", "Iraq"),
    ("IR", "Iran"),
    ("IS", "Iceland"),
    ("IT", "Italy"),
    ("JE", "Jersey"),
    ("JM", "Jamaica"),
    ("JO", "Jordan"),
    ("JP", "Japan"),
    ("KE", "Kenya"),
    ("KG", "Kyrgyzstan"),
    ("KH", "Cambodia"),
    ("KI", "Kiribati"),
    ("KM", "Comoros"),
    ("KN", "St. Kitts & Nevis"),
    ("KP", "North Korea"),
    ("KR", "South Korea"),
    ("KW", "Kuwait"),
    ("KY", "Cayman Islands"),
    ("KZ", "Kazakhstan"),
    ("LA", "Laos"),
    ("LB", "Lebanon"),
    ("LC", "Saint Lucia"),
    ("LI", "Liechtenstein"),
    ("LK", "Sri Lanka"),
    ("LR", "Liberia"),
    ("LS", "Lesotho"),
    ("LT", "Lithuania"),
    ("LU", "Luxembourg"),
    ("LV", "Latvia"),
    ("LY", "Libya"),
    ("MA", "Morocco"),
    ("MC", "Monaco"),
    ("MD", "Moldova"),
    ("ME", "Montenegro"),
    ("MF", "Saint Martin"),
    ("MG", "Madagascar"),
    ("MH", "Marshall Islands"),
    ("MK", "North Macedonia"),
    ("ML", "Mali"),
    ("MM", "Myanmar"),
    ("MN", "Mongolia"),
    ("MO", "Macao"),
    ("MP", "Northern Mariana Is."),
    ("MQ", "Martinique"),
    ("MR", "Mauritania"),
    ("MS", "Montserrat"),
    ("MT", "Malta"),
    ("MU", "Mauritius"),
    ("MV", "Maldives"),
    ("MW", "Malawi"),
    ("MX", "Mexico"),
    ("MY", "Malaysia"),
    ("MZ", "Mozambique"),
    ("NA", "Namibia"),
    ("NC", "New Caledonia"),
    ("NE", "Niger"),
    ("NF", "Norfolk Island"),
    ("NG", "Nigeria"),
    ("NI", "Nicaragua"),
    ("NL", "Netherlands"),
    ("NO", "Norway"),
    ("NP", "Nepal"),
    ("NR", "Nauru"),
    ("NU", "Niue"),
    ("NZ", "New Zealand"),
    ("OM", "Oman"),
    ("PA", "Panama"),
    ("PE", "Peru"),
    ("PF", "French Polynesia"),
    ("PG", "Papua New Guinea"),
    ("PH", "Philippines"),
    ("PK", "Pakistan"),
    ("PL", "Poland"),
    ("PM", "St. Pierre & Miquelon"),
    ("PN", "Pitcairn"),
    ("PR", "Puerto Rico"),
    ("PS", "Palestine"),
    ("PT", "Portugal"),
    ("PW", "Palau"),
    ("PY", "Paraguay"),
    ("QA", "Qatar"),
    ("RE", "Réunion"),
    ("RO", "Romania"),
    ("RS", "Serbia"),
    ("RU", "Russia"),
    ("RW", "Rwanda"),
    ("SA", "Saudi Arabia"),
    ("SB", "Solomon Islands"),
    ("SC", "Seychelles"),
    ("SD", "Sudan"),
    ("SE", "Sweden"),
    ("SG", "Singapore"),
    ("SH", "Saint Helena"),
    ("SI", "Slovenia"),
    ("SJ", "Svalbard and Jan Mayen"),
    ("SK", "Slovakia"),
    ("SL", "Sierra Leone"),
    ("SM", "San Marino"),
    ("SN", "Senegal"),
    ("SO", "Somalia"),
    ("SR", "Suriname"),
    ("SS", "South Sudan"),
    ("ST", "São Tomé & Príncipe"),
    ("SV", "El Salvador"),
    ("SX", "Sint Maarten"),
    ("SY", "Syria"),
    ("SZ", "Eswatini"),
    ("TC", "Turks & Caicos Islands"),
    ("TD", "Chad"),
    ("TG", "Togo"),
    ("TH", "Thailand"),
    ("TJ", "Tajikistan"),
    ("TK", "Tokelau"),
    ("TL", "Timor-Leste"),
    ("TM", "Turkmenistan"),
    ("TN", "Tunisia"),
    ("TO", "Tonga"),
    ("TR", "Turkey"),
    ("TT", "Trinidad & Tobago"),
    ("TV", "Tuvalu"),
    ("TW", "Taiwan"),
    ("TZ", "Tanzania"),
    ("UA", "Ukraine"),
    ("UG", "Uganda"),
    ("US", "United States"),
    ("UY", "Uruguay"),
    ("UZ", "Uzbekistan"),
    ("VA", "Vatican City"),
    ("VC", "St. Vincent & Grenadines"),
    ("VE", "Venezuela"),
    ("VG", "British Virgin Islands"),
    ("VI", "US Virgin Islands"),
    ("VN", "Vietnam"),
    ("VU", "Vanuatu"),
    ("WF", "Wallis & Futuna"),
    ("WS", "Samoa"),
    ("XK", "Kosovo"),
    ("YE", "Yemen"),
    ("YT", "Mayotte"),
    ("ZA", "South Africa"),
    ("ZM", "Zambia"),
    ("ZW", "Zimbabwe"),
];

/// Other names of countries in published tables (NCSES Science &
/// Engineering Indicators, conference paper lists), each with its code.
pub const ALIASES: [(&str, &str); 17] = [
    ("Bahamas, The", "BS"),
    ("Burma", "MM"),
    ("Congo, Democratic Republic of the", "CD"),
    ("Congo, Republic of the", "CG"),
    ("Côte d’Ivoire", "CI"),
    ("Côte d'Ivoire", "CI"),
    ("Czech Republic", "CZ"),
    ("Dominican Republic", "DO"),
    ("Gambia, The", "GM"),
    ("Kingdom of Saudi Arabia", "SA"),
    ("Russian Federation", "RU"),
    ("Türkiye", "TR"),
    ("Korea, Republic of", "KR"),
    ("Republic of Korea", "KR"),
    ("São Tomé and Príncipe", "ST"),
    ("USA", "US"),
    ("UK", "GB"),
];

/// A name as published, made comparable: numeric character references
/// decoded (`C&#244;te` is `Côte`), footnote marks (`<sup>a</sup>`) cut,
/// `&` read as `and`, spaces collapsed, case folded.
fn normalize(name: &str) -> String {
    let mut s = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(i) = rest.find('<') {
        s.push_str(&rest[..i]);
        rest = match rest[i..].find("</sup>") {
            Some(j) if rest[i..].starts_with("<sup>") => &rest[i + j + "</sup>".len()..],
            _ => {
                s.push('<');
                &rest[i + 1..]
            }
        };
    }
    s.push_str(rest);
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(i) = rest.find("&#") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 2..];
        let end = tail.find(';');
        match end.and_then(|e| {
            tail[..e]
                .parse::<u32>()
                .ok()
                .and_then(char::from_u32)
                .map(|c| (e, c))
        }) {
            Some((e, c)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push_str("&#");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out.replace('&', " and ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The code of a country name as published, if it is one of
/// [`COUNTRIES`] or [`ALIASES`] (compared after [`normalize`]).
pub fn code_of(name: &str) -> Option<&'static str> {
    static INDEX: std::sync::LazyLock<std::collections::HashMap<String, &'static str>> =
        std::sync::LazyLock::new(|| {
            COUNTRIES
                .iter()
                .map(|(c, name)| (*c, *name))
                .chain(ALIASES.iter().map(|(name, c)| (*c, *name)))
                .map(|(c, name)| (normalize(name), c))
                .collect()
        });
    INDEX.get(&normalize(name)).copied()
}

/// Whether `code` is one of [`COUNTRIES`]' codes: a table lookup, for
/// ingest's check of every country code it reads.
pub fn is_code(code: &str) -> bool {
    static CODES: std::sync::LazyLock<[bool; 26 * 26]> = std::sync::LazyLock::new(|| {
        let mut t = [false; 26 * 26];
        for (c, _) in COUNTRIES {
            let b = c.as_bytes();
            t[usize::from(b[0] - b'A') * 26 + usize::from(b[1] - b'A')] = true;
        }
        t
    });
    match code.as_bytes() {
        [a @ b'A'..=b'Z', b @ b'A'..=b'Z'] => {
            CODES[usize::from(a - b'A') * 26 + usize::from(b - b'A')]
        }
        _ => false,
    }
}

/// The name of a code.
pub fn name_of(code: &str) -> Option<&'static str> {
    COUNTRIES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_table_s_and_nothing_else() {
        for (c, _) in COUNTRIES {
            assert!(is_code(c), "{c}");
        }
        for c in ["", "U", "USA", "us", "U1", "ZZ", "AA", "É1"] {
            assert!(!is_code(c), "{c}");
        }
        let n = (b'A'..=b'Z')
            .flat_map(|a| (b'A'..=b'Z').map(move |b| String::from_utf8(vec![a, b]).unwrap()))
            .filter(|c| is_code(c))
            .count();
        assert_eq!(n, COUNTRIES.len());
    }

    /// Names as NCSES and OpenAlex publish them, entities and footnotes
    /// included; a region or a former country is no code.
    #[test]
    fn published_names_map_to_codes() {
        assert_eq!(code_of("United States"), Some("US"));
        assert_eq!(code_of("United Kingdom<sup>a</sup>"), Some("GB"));
        assert_eq!(code_of("C&#244;te d&#8217;Ivoire"), Some("CI"));
        assert_eq!(code_of("S&#227;o Tom&#233; and Pr&#237;ncipe"), Some("ST"));
        assert_eq!(code_of("Bosnia and Herzegovina"), Some("BA"));
        assert_eq!(code_of("Dominican Republic"), Some("DO"));
        assert_eq!(code_of("  south   KOREA "), Some("KR"));
        assert_eq!(code_of("Gambia, The"), Some("GM"));
        assert_eq!(code_of("Serbia and Montenegro<sup>c</sup>"), None);
        assert_eq!(code_of("World"), None);
        // Paper lists' names.
        assert_eq!(code_of("Russian Federation"), Some("RU"));
        assert_eq!(code_of("Türkiye"), Some("TR"));
        assert_eq!(code_of("Czech Republic"), Some("CZ"));
        assert_eq!(code_of("Unknown"), None);
        assert_eq!(code_of("Asia"), None);
        assert_eq!(name_of("CN"), Some("China"));
    }

    /// Every alias names a known code, and no two countries share a name.
    #[test]
    fn the_tables_are_consistent() {
        for (_, c) in ALIASES {
            assert!(name_of(c).is_some(), "{c}");
        }
        let mut names: Vec<String> = COUNTRIES.iter().map(|(_, n)| normalize(n)).collect();
        names.sort();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n);
    }
}
