//! A person's own data, for the download the personal information law gives them, and the
//! erasure when they close their account.

use sqlx::{AnyPool, Row};

use super::Tx;

/// One section of the download: its name, its column names and its rows (every value as
/// text, as a spreadsheet would hold it).
#[derive(Debug, Clone)]
pub struct Section {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<Option<String>>>,
}

/// `(name, columns, SQL)`: each query takes the person's id as `$1` and selects its columns
/// as text in this order.
const SECTIONS: [(&str, &[&str], &str); 10] = [
    (
        "account",
        &[
            "id",
            "username",
            "display_name",
            "real_name",
            "gender",
            "birth_month",
            "education",
            "ethnicity",
            "political_status",
            "trade",
            "title",
            "phone",
            "email",
            "honours",
            "created_at",
        ],
        "SELECT CAST(id AS TEXT), username, display_name, real_name, gender, birth_month, \
         education, ethnicity, political_status, trade, title, phone, email, honours, \
         CAST(created_at AS TEXT) FROM users WHERE id = $1",
    ),
    (
        "studios",
        &["studio_id", "studio", "role", "joined_at"],
        "SELECT CAST(s.id AS TEXT), s.name, m.role, CAST(m.joined_at AS TEXT) \
         FROM studio_members m JOIN studios s ON s.id = m.studio_id WHERE m.user_id = $1 \
         ORDER BY m.joined_at",
    ),
    (
        "union_roles",
        &["org_id", "org", "role", "created_at"],
        "SELECT CAST(o.id AS TEXT), o.name, r.role, CAST(r.created_at AS TEXT) \
         FROM staff_roles r JOIN orgs o ON o.id = r.org_id WHERE r.user_id = $1 ORDER BY r.id",
    ),
    (
        "chat_messages",
        &["room", "seq", "body", "created_at"],
        "SELECT room, CAST(seq AS TEXT), body, CAST(created_at AS TEXT) FROM chat_messages \
         WHERE author_id = $1 AND deleted_at IS NULL ORDER BY created_at, room, seq",
    ),
    (
        "mentorships",
        &[
            "mentorship_id",
            "as",
            "skill",
            "status",
            "grade",
            "evaluation",
            "starts_on",
            "ends_on",
        ],
        "SELECT CAST(id AS TEXT), CASE WHEN mentor_id = $1 THEN 'mentor' ELSE 'apprentice' END, \
         skill, status, grade, evaluation, starts_on, ends_on FROM mentorships \
         WHERE mentor_id = $1 OR apprentice_id = $1 ORDER BY id",
    ),
    (
        "mentorship_logs",
        &[
            "mentorship_id",
            "on_date",
            "minutes",
            "content",
            "created_at",
        ],
        "SELECT CAST(mentorship_id AS TEXT), on_date, CAST(minutes AS TEXT), content, \
         CAST(created_at AS TEXT) FROM mentorship_logs WHERE author_id = $1 ORDER BY id",
    ),
    (
        "event_registrations",
        &["event_id", "event", "starts_at"],
        "SELECT CAST(e.id AS TEXT), e.title, CAST(e.starts_at AS TEXT) \
         FROM event_registrations r JOIN events e ON e.id = r.event_id WHERE r.user_id = $1 \
         ORDER BY e.starts_at",
    ),
    (
        "course_enrolments",
        &["course_id", "course"],
        "SELECT CAST(c.id AS TEXT), c.title FROM enrolments n JOIN courses c ON c.id = n.course_id \
         WHERE n.user_id = $1 ORDER BY c.id",
    ),
    (
        "notifications",
        &["kind", "subject", "link", "created_at"],
        "SELECT kind, subject, link, CAST(created_at AS TEXT) FROM notifications \
         WHERE user_id = $1 ORDER BY id",
    ),
    (
        "activity",
        &["action", "entity_kind", "entity_id", "detail", "created_at"],
        "SELECT action, entity_kind, CAST(entity_id AS TEXT), detail, CAST(created_at AS TEXT) \
         FROM audit_log WHERE actor_id = $1 ORDER BY id",
    ),
];

/// Everything the platform holds about `user_id` as its author or subject, section by section.
pub async fn of(pool: &AnyPool, user_id: i64) -> sqlx::Result<Vec<Section>> {
    let mut out = Vec::with_capacity(SECTIONS.len());
    for (name, columns, sql) in SECTIONS {
        let rows = sqlx::query(sql).bind(user_id).fetch_all(pool).await?;
        let rows = rows
            .iter()
            .map(|r| (0..columns.len()).map(|i| r.try_get(i)).collect())
            .collect::<sqlx::Result<_>>()?;
        out.push(Section {
            name,
            columns,
            rows,
        });
    }
    Ok(out)
}

/// Closes the account: personal fields erased, the name replaced, the password unusable, the
/// sessions ended, and the person's places (studio memberships, union roles) and private
/// state (notifications, read marks) removed. The row stays for what others rely on. Returns
/// the studios the person left.
pub async fn close(
    tx: &mut Tx,
    user_id: i64,
    username: &str,
    display_name: &str,
    now: i64,
) -> sqlx::Result<Vec<i64>> {
    sqlx::query(
        "UPDATE users SET username = $2, display_name = $3, password_hash = '!', is_admin = 0, \
         real_name = '', gender = '', birth_month = '', education = '', ethnicity = '', \
         political_status = '', trade = '', title = '', phone = '', email = '', honours = '', \
         closed_at = $4 WHERE id = $1",
    )
    .bind(user_id)
    .bind(username)
    .bind(display_name)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let studios: Vec<i64> =
        sqlx::query_scalar("SELECT studio_id FROM studio_members WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(&mut **tx)
            .await?;
    for sql in [
        "DELETE FROM studio_members WHERE user_id = $1",
        "DELETE FROM staff_roles WHERE user_id = $1",
        "DELETE FROM sessions WHERE user_id = $1",
        "DELETE FROM notifications WHERE user_id = $1",
        "DELETE FROM chat_reads WHERE user_id = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut **tx).await?;
    }
    Ok(studios)
}
