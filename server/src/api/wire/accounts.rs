//! People on the wire: a user as others see them, and one's own profile.

use crate::store::users;

wire! {
    /// A user as others may see it.
    pub struct User from users::User {
        id: i64,
        username: String,
        display_name: String,
    }
    hidden { is_admin }
}

wire! {
    /// The personal profile (the leader section of the application form).
    pub struct Person from users::Person {
        id: i64,
        username: String,
        display_name: String,
        real_name: String,
        gender: String,
        birth_month: String,
        education: String,
        ethnicity: String,
        political_status: String,
        trade: String,
        title: String,
        phone: String,
        email: String,
        honours: String,
        /// The portrait's name: `/pictures/{portrait}.jpg`, or `-s.jpg` for the small size.
        portrait: Option<String>,
    }
}

wire! {
    /// A signed-in session.
    pub struct LoginResult from crate::service::accounts::LoginResult {
        token: String,
        user: User => User::from,
    }
}
