//! The union's objects a test starts from: accounts, the org tree, studios online.

use crate::{PASSWORD, StatusCode, TestApp, Value, id, json, unique};

/// The layers of the union tree built by [`TestApp::org_tree`].
#[derive(Debug, Clone, Copy)]
pub struct OrgTree {
    pub province: i64,
    pub city: i64,
    pub district: i64,
    pub enterprise: i64,
}

impl TestApp {
    pub async fn register(
        &self,
        username: &str,
        password: &str,
        display_name: &str,
    ) -> (StatusCode, Value) {
        let body =
            json!({"username": username, "password": password, "display_name": display_name});
        self.post_json("/api/v1/auth/register", None, body).await
    }

    /// A setup step: registers an account, which must succeed; its id.
    pub async fn registered(&self, username: &str, password: &str, display_name: &str) -> i64 {
        let (status, user) = self.register(username, password, display_name).await;
        assert_eq!(
            status,
            StatusCode::CREATED,
            "setup step \"registering {username}\" answered {status}: {user}"
        );
        id(&user)
    }

    pub async fn login(&self, username: &str, password: &str) -> (StatusCode, Value) {
        let body = json!({"username": username, "password": password});
        self.post_json("/api/v1/auth/login", None, body).await
    }

    /// Registers `username` (with a Chinese display name) and signs in: (user id, token).
    pub async fn register_and_login(&self, username: &str) -> (i64, String) {
        self.register_and_login_as(username, &format!("测试用户{username}"))
            .await
    }

    pub async fn register_and_login_as(&self, username: &str, display_name: &str) -> (i64, String) {
        let (status, user) = self.register(username, PASSWORD, display_name).await;
        assert_eq!(
            status,
            StatusCode::CREATED,
            "registering {username}: {user}"
        );
        let (status, session) = self.login(username, PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "signing in {username}: {session}");
        (
            id(&user),
            session["token"].as_str().expect("a token").to_owned(),
        )
    }

    /// Makes a new platform admin (as `lianmeng admin create` does) and signs in as it.
    /// `leader` invites `user_id` to `studio` as `role` and the person (signed in as `token`)
    /// accepts: how a studio's people join it.
    pub async fn join_studio(
        &self,
        studio: i64,
        leader: &str,
        (user_id, token): (i64, &str),
        role: &str,
    ) {
        let invitation = self
            .expect_post(
                &format!("/api/v1/studios/{studio}/members"),
                Some(leader),
                json!({"user_id": user_id, "role": role}),
                StatusCode::CREATED,
                &format!("inviting user {user_id} to studio {studio}"),
            )
            .await;
        self.expect_post(
            &format!("/api/v1/invitations/{}/accept", invitation["id"]),
            Some(token),
            json!({}),
            StatusCode::OK,
            &format!("user {user_id} accepting"),
        )
        .await;
    }

    pub async fn admin_token(&self) -> String {
        let username = unique("admin");
        lianmeng_server::service::accounts::create_admin(&self.state.db, &username, PASSWORD)
            .await
            .expect("creating an admin");
        let (status, session) = self.login(&username, PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "admin login: {session}");
        session["token"].as_str().expect("a token").to_owned()
    }

    /// Creates an org and returns its id.
    pub async fn create_org(
        &self,
        token: &str,
        name: &str,
        level: &str,
        parent: Option<i64>,
    ) -> i64 {
        let body = json!({"name": name, "level": level, "parent_id": parent});
        let step = format!("creating org {name}");
        let org = self
            .expect_post(
                "/api/v1/orgs",
                Some(token),
                body,
                StatusCode::CREATED,
                &step,
            )
            .await;
        id(&org)
    }

    /// 陕西省总工会 → 西安市总工会 → 雁塔区总工会 → 西安机床厂工会, made by `admin`.
    pub async fn org_tree(&self, admin: &str) -> OrgTree {
        let province = self
            .create_org(admin, "陕西省总工会", "province", None)
            .await;
        let city = self
            .create_org(admin, "西安市总工会", "city", Some(province))
            .await;
        let district = self
            .create_org(admin, "雁塔区总工会", "district", Some(city))
            .await;
        let enterprise = self
            .create_org(admin, "西安机床厂工会", "enterprise", Some(district))
            .await;
        OrgTree {
            province,
            city,
            district,
            enterprise,
        }
    }

    /// An enterprise org to host studios (a whole tree made by a fresh admin).
    pub async fn enterprise_org(&self) -> i64 {
        let admin = self.admin_token().await;
        self.org_tree(&admin).await.enterprise
    }

    /// Registers a draft studio with just its required fields; returns its id.
    pub async fn create_studio(&self, token: &str, org_id: i64, name: &str) -> i64 {
        let body = json!({"name": name, "org_id": org_id, "kind": "tech_tackling"});
        let step = format!("creating studio {name}");
        let studio = self
            .expect_post(
                "/api/v1/studios",
                Some(token),
                body,
                StatusCode::CREATED,
                &step,
            )
            .await;
        id(&studio)
    }

    /// Registers a studio with a complete profile (plus `extra` fields) and takes it online.
    pub async fn online_studio(&self, token: &str, org_id: i64, name: &str, extra: Value) -> i64 {
        let mut body = full_profile(name, org_id);
        merge(&mut body, extra);
        let step = format!("creating studio {name}");
        let studio = self
            .expect_post(
                "/api/v1/studios",
                Some(token),
                body,
                StatusCode::CREATED,
                &step,
            )
            .await;
        let studio_id = id(&studio);
        self.expect_post_empty(
            &format!("/api/v1/studios/{studio_id}/onboard"),
            Some(token),
            StatusCode::OK,
            &format!("taking studio {name} online"),
        )
        .await;
        studio_id
    }
}

/// Every field going online needs, filled with real Chinese text.
pub fn full_profile(name: &str, org_id: i64) -> Value {
    json!({
        "name": name,
        "org_id": org_id,
        "kind": "tech_tackling",
        "field": "数控机床装调与维修",
        "industry": "machinery",
        "region": "西安市雁塔区",
        "goals": "三年内攻克大型龙门铣床主轴热变形难题，带出十名高级技师",
        "intro": "工作室以全国劳动模范领衔，成员二十人，长期承担重点设备抢修和工艺改进任务。",
    })
}

/// Copies the keys of `extra` (an object) into `body`.
pub fn merge(body: &mut Value, extra: Value) {
    if let (Some(b), Value::Object(e)) = (body.as_object_mut(), extra) {
        b.extend(e);
    }
}
