//! People's data: no e-mail address is stored from any source. Real
//! records carry them in odd places (author names such as
//! `Jpliu@wtu.edu.cn Jpliu@wtu.edu.cn`, affiliations such as `IoTSC,
//! University of Macau, yb97439@um.edu.mo`), so every free-text field a
//! source keeps about a person goes through [`without_emails`].

/// `text` without the e-mail addresses in it, and the separators they leave
/// (`, ` before or after); `None` when nothing else is left. An address is a
/// token (between spaces, commas, semicolons, brackets or quotes; `{a,
/// b}@x.org` loses `b}@x.org`) with a
/// local part, `@`, and a domain of two or more dot-separated labels:
/// `Recall@k`, `MIDAS@IIITD` and `Research @ Cloud AI` are no addresses.
pub fn without_emails(text: &str) -> Option<String> {
    if !text.contains('@') {
        return Some(text.to_string()).filter(|t| !t.trim().is_empty());
    }
    let is_sep = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ',' | ';' | '(' | ')' | '<' | '>' | '[' | ']' | '"' | '\''
            )
    };
    let mut out = String::with_capacity(text.len());
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        if !is_email(token) {
            out.push_str(token);
        }
        token.clear();
    };
    for c in text.chars() {
        if is_sep(c) {
            flush(&mut token, &mut out);
            out.push(c);
        } else {
            token.push(c);
        }
    }
    flush(&mut token, &mut out);
    // Brackets and separators left around a removed address: collapse them.
    for empty in ["()", "<>", "[]"] {
        out = out.replace(empty, "");
    }
    let mut tidy = String::with_capacity(out.len());
    for part in out.split(',') {
        let part = part.split_whitespace().collect::<Vec<_>>().join(" ");
        if part.is_empty() {
            continue;
        }
        if !tidy.is_empty() {
            tidy.push_str(", ");
        }
        tidy.push_str(&part);
    }
    Some(tidy).filter(|t| !t.is_empty())
}

/// [`without_emails`] of an owned text, not copied when it has no `@`.
pub fn redact(text: String) -> Option<String> {
    if text.contains('@') {
        without_emails(&text)
    } else {
        Some(text).filter(|t| !t.trim().is_empty())
    }
}

/// Whether a token is an e-mail address (see [`without_emails`]).
fn is_email(token: &str) -> bool {
    let token = token.trim_matches(|c: char| matches!(c, '.' | ':' | '!' | '?'));
    let Some((local, domain)) = token.rsplit_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
}

#[cfg(test)]
mod tests {
    use super::without_emails;

    #[test]
    fn addresses_are_cut_and_the_rest_kept() {
        let cut = |s: &str| without_emails(s);
        assert_eq!(cut("Jpliu@wtu.edu.cn Jpliu@wtu.edu.cn"), None);
        assert_eq!(
            cut("IoTSC, University of Macau, yb97439@um.edu.mo").as_deref(),
            Some("IoTSC, University of Macau")
        );
        assert_eq!(cut("2 nmman@hcmus.edu.vn").as_deref(), Some("2"));
        assert_eq!(cut("svetha.venkatesh}@deakin.edu.au"), None);
        assert_eq!(cut("Jane Doe (jane@x.org)").as_deref(), Some("Jane Doe"));
        // Not addresses.
        for keep in [
            "Recall@k Surrogate Loss",
            "MIDAS@IIITD",
            "Head of Research @ Cloud AI",
            "Pl@ntNet-300K",
        ] {
            assert_eq!(cut(keep).as_deref(), Some(keep));
        }
        assert_eq!(
            cut("Stanford University").as_deref(),
            Some("Stanford University")
        );
        assert_eq!(cut("  "), None);
    }
}
