//! Accounts: what a username, a password and a personal profile may be.

use super::text::Checks;

pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;

/// Whether a character may be in a username: lowercase letters, digits, `_.-` and Chinese
/// characters (a worker may sign up as 王建国).
fn username_char(ch: char) -> bool {
    ch.is_ascii_lowercase() || ch.is_ascii_digit() || "_.-".contains(ch) || is_han(ch)
}

/// A CJK unified ideograph (the basic block and extension A).
fn is_han(ch: char) -> bool {
    matches!(ch, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Registration rules: usernames of 2–32 lowercase letters, digits, `_.-` or Chinese
/// characters (counted as characters), beginning with a letter, digit or Chinese character;
/// strong enough passwords.
pub fn check_registration(username: &str, password: &str, display_name: &str, c: &mut Checks) {
    let ulen = username.chars().count();
    if !(2..=32).contains(&ulen)
        || !username.chars().all(username_char)
        || !username.starts_with(|ch: char| ch.is_ascii_alphanumeric() || is_han(ch))
    {
        c.fail(
            "username",
            "用户名为 2–32 位汉字、小写字母、数字或 _.- / 2–32 Chinese characters, lowercase letters, digits or _.-",
        );
    }
    check_password(password, c);
    c.required("display_name", display_name, 40);
}

pub fn check_password(password: &str, c: &mut Checks) {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        c.fail("password", "密码至少 8 个字符 / at least 8 characters");
    } else if n > PASSWORD_MAX {
        c.fail("password", "密码最多 128 个字符 / at most 128 characters");
    }
}

/// The personal part of the application form (filled in by the studio leader).
#[derive(Debug, Default)]
pub struct PersonInput<'a> {
    pub display_name: Option<&'a str>,
    pub real_name: Option<&'a str>,
    pub gender: Option<&'a str>,
    pub birth_month: Option<&'a str>,
    pub education: Option<&'a str>,
    pub ethnicity: Option<&'a str>,
    pub political_status: Option<&'a str>,
    pub trade: Option<&'a str>,
    pub title: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub honours: Option<&'a str>,
}

pub const GENDERS: [&str; 2] = ["男", "女"];

/// A mainland mobile number as people type it (`138 0013 8000`, `138-0013-8000`,
/// `+86 13800138000`), as its eleven digits; `None` for anything else.
pub fn phone_number(text: &str) -> Option<String> {
    let t = text.trim();
    if !t
        .chars()
        .all(|ch| ch.is_ascii_digit() || " -+".contains(ch))
    {
        return None;
    }
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let digits = match digits.strip_prefix("86") {
        Some(rest) if digits.len() == 13 => rest.to_owned(),
        _ => digits,
    };
    (digits.len() == 11 && digits.starts_with('1')).then_some(digits)
}

pub fn check_person(p: &PersonInput<'_>, c: &mut Checks) {
    if let Some(v) = p.display_name {
        c.required("display_name", v, 40);
    }
    for (field, value) in [
        ("real_name", p.real_name),
        ("education", p.education),
        ("ethnicity", p.ethnicity),
        ("political_status", p.political_status),
        ("trade", p.trade),
        ("title", p.title),
    ] {
        if let Some(v) = value {
            c.max_len(field, v, 40);
        }
    }
    if let Some(g) = p.gender
        && !g.is_empty()
        && !GENDERS.contains(&g)
    {
        c.fail("gender", "性别应为“男”或“女” / must be 男 or 女");
    }
    if let Some(m) = p.birth_month {
        c.month("birth_month", m);
    }
    if let Some(phone) = p.phone
        && !phone.is_empty()
    {
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let ok_chars = phone
            .chars()
            .all(|ch| ch.is_ascii_digit() || "+- ".contains(ch));
        if !ok_chars || !(7..=15).contains(&digits) {
            c.fail("phone", "电话号码格式不正确 / not a phone number");
        }
    }
    if let Some(email) = p.email
        && !email.is_empty()
    {
        let ok = email.chars().count() <= 120
            && email
                .split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'))
            && !email
                .chars()
                .any(|ch| ch.is_whitespace() || ch.is_control());
        if !ok {
            c.fail("email", "电子邮箱格式不正确 / not an e-mail address");
        }
    }
    if let Some(h) = p.honours {
        c.max_len("honours", h, 1000);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(c: Checks) -> Vec<String> {
        c.into_errors().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn mobile_numbers_are_read_as_people_type_them() {
        assert_eq!(
            phone_number("138 0013 8000").as_deref(),
            Some("13800138000")
        );
        assert_eq!(
            phone_number("+86 138-0013-8000").as_deref(),
            Some("13800138000")
        );
        assert_eq!(phone_number("029-88886666"), None, "a landline");
        assert_eq!(phone_number("王建国"), None);
        assert_eq!(phone_number("1380013800"), None);
    }

    #[test]
    fn registration_rules() {
        let mut c = Checks::new();
        check_registration("wangjianguo", "焊工焊工焊工焊工", "王建国", &mut c);
        assert!(
            c.is_empty(),
            "eight Chinese characters are a long enough password"
        );
        let mut c = Checks::new();
        check_registration("王建国", "short", "", &mut c);
        assert_eq!(
            fields(c),
            ["password", "display_name"],
            "a Chinese username is fine"
        );
        let mut c = Checks::new();
        check_registration("Wang Jianguo", "12345678", "王建国", &mut c);
        assert_eq!(fields(c), ["username"]);
        let mut c = Checks::new();
        check_registration("-x", "12345678", "x", &mut c);
        assert_eq!(fields(c), ["username"]);
    }

    #[test]
    fn person_fields_are_checked() {
        let mut c = Checks::new();
        check_person(
            &PersonInput {
                gender: Some("女"),
                birth_month: Some("1978-05"),
                phone: Some("138 0000 1234"),
                email: Some("li@example.cn"),
                ..Default::default()
            },
            &mut c,
        );
        assert!(c.is_empty());
        let mut c = Checks::new();
        check_person(
            &PersonInput {
                gender: Some("x"),
                birth_month: Some("78-5"),
                phone: Some("abc"),
                email: Some("no-at-sign"),
                ..Default::default()
            },
            &mut c,
        );
        assert_eq!(fields(c), ["gender", "birth_month", "phone", "email"]);
        let mut c = Checks::new();
        check_person(
            &PersonInput {
                email: Some("li\u{0}@example.cn"),
                ..Default::default()
            },
            &mut c,
        );
        assert_eq!(
            fields(c),
            ["email"],
            "no control characters in an e-mail address"
        );
    }
}
