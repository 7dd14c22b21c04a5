//! One fixture world for the tests of studios at work: a union tree, studios online in its
//! enterprise and the people around them, each added by a named step that a test composes,
//! e.g. `World::start().await.with_poster_studio().await.with_claimant_studios().await`.

use lianmeng_server::jobs::sweeper::{Report, sweep, thresholds};

use crate::{OrgTree, StatusCode, TestApp, Value, id, json, merge, unique};

/// A studio online in the world's enterprise, with its leader.
#[derive(Debug, Clone)]
struct Studio {
    id: i64,
    leader_id: i64,
    /// The leader's bearer token.
    leader: String,
}

/// Union people around the enterprise: staff of the city above it (told of stale work), staff
/// of another province and an expert of the district (not told).
#[derive(Debug, Clone)]
struct UnionPeople {
    city_staff: String,
    far_staff: String,
    expert: String,
}

/// The server and what the steps so far have made. Asking for something no step made panics
/// naming the step to add.
pub struct World {
    pub app: TestApp,
    /// A platform admin's token.
    pub admin: String,
    /// 陕西省总工会 → 西安市总工会 → 雁塔区总工会 → 西安机床厂工会.
    pub tree: OrgTree,
    /// The enterprise hosting every studio of the world.
    pub org: i64,
    poster: Option<Studio>,
    b: Option<Studio>,
    c: Option<Studio>,
    outsider: Option<Studio>,
    c_member: Option<(i64, String)>,
    /// A plain member of the poster studio: (user id, token).
    author: Option<(i64, String)>,
    union: Option<UnionPeople>,
}

fn missing(what: &str, step: &str) -> ! {
    panic!("the world has no {what}: add .{step}() when building it")
}

impl World {
    /// A server with default settings and the union tree, made by a new admin.
    pub async fn start() -> World {
        World::new(TestApp::spawn().await).await
    }

    /// The union tree on `app` (for a server started with settings of its own).
    pub async fn new(app: TestApp) -> World {
        let admin = app.admin_token().await;
        let tree = app.org_tree(&admin).await;
        World {
            app,
            admin,
            org: tree.enterprise,
            tree,
            poster: None,
            b: None,
            c: None,
            outsider: None,
            c_member: None,
            author: None,
            union: None,
        }
    }

    /// Step: 王建国 registers and takes 王建国劳模创新工作室 online; it posts challenges (and,
    /// in the alliance tests, founds the alliance).
    pub async fn with_poster_studio(mut self) -> World {
        self.poster = Some(
            self.studio("poster", "王建国", "王建国劳模创新工作室")
                .await,
        );
        self
    }

    /// Step: two more studios online, B (李明焊接技能大师工作室) and C (张雅琴计量创新工作室),
    /// which claim challenges or join alliances.
    pub async fn with_claimant_studios(self) -> World {
        self.with_studio_b().await.with_studio_c().await
    }

    /// Step: studio B alone (李明焊接技能大师工作室).
    pub async fn with_studio_b(mut self) -> World {
        self.b = Some(
            self.studio("lead-b", "李明", "李明焊接技能大师工作室")
                .await,
        );
        self
    }

    /// Step: studio C alone (张雅琴计量创新工作室).
    pub async fn with_studio_c(mut self) -> World {
        self.c = Some(
            self.studio("lead-c", "张雅琴", "张雅琴计量创新工作室")
                .await,
        );
        self
    }

    /// Step: a studio that stays outside whatever the others do (赵铁军电气工作室).
    pub async fn with_outsider_studio(mut self) -> World {
        self.outsider = Some(self.studio("outsider", "赵铁军", "赵铁军电气工作室").await);
        self
    }

    /// Step: 刘宇轩, a plain member of studio C.
    pub async fn with_member_in_c(mut self) -> World {
        let c = self.c_studio();
        let member = self.member_of(c, "member-c", "刘宇轩").await;
        self.c_member = Some(member);
        self
    }

    /// Step: 赵敏, a member of the poster studio who posts its challenges, so that the author
    /// and the leader differ.
    pub async fn with_author_in_poster_studio(mut self) -> World {
        let studio = self.poster_studio();
        self.author = Some(self.member_of(studio, "author", "赵敏").await);
        self
    }

    /// Step: staff of the city above the enterprise (周国), staff of another province
    /// (甘肃省总工会, 马军) and an expert of the district (陈工).
    pub async fn with_union_people(mut self) -> World {
        let far = self
            .app
            .create_org(&self.admin, "甘肃省总工会", "province", None)
            .await;
        let city_staff = self.union_role(self.tree.city, "staff", "周国").await;
        let far_staff = self.union_role(far, "staff", "马军").await;
        let expert = self.union_role(self.tree.district, "expert", "陈工").await;
        self.union = Some(UnionPeople {
            city_staff,
            far_staff,
            expert,
        });
        self
    }

    /// A new account leading a new studio online in the enterprise.
    async fn studio(&self, prefix: &str, leader_name: &str, studio_name: &str) -> Studio {
        let (leader_id, leader) = self
            .app
            .register_and_login_as(&unique(prefix), leader_name)
            .await;
        let id = self
            .app
            .online_studio(&leader, self.org, studio_name, json!({}))
            .await;
        Studio {
            id,
            leader_id,
            leader,
        }
    }

    /// A new account added to `studio` as a plain member by its leader: (user id, token).
    async fn member_of(&self, studio: i64, prefix: &str, name: &str) -> (i64, String) {
        let leader = [&self.poster, &self.b, &self.c, &self.outsider]
            .into_iter()
            .flatten()
            .find(|s| s.id == studio)
            .map(|s| s.leader.clone())
            .expect("a studio of this world");
        let (user_id, token) = self.app.register_and_login_as(&unique(prefix), name).await;
        self.app
            .join_studio(studio, &leader, (user_id, &token), "member")
            .await;
        (user_id, token)
    }

    /// A new account given `role` at `org` by the admin; its token.
    async fn union_role(&self, org: i64, role: &str, name: &str) -> String {
        let username = unique("union");
        let (_, token) = self.app.register_and_login_as(&username, name).await;
        self.app
            .expect_post(
                &format!("/api/v1/orgs/{org}/staff"),
                Some(&self.admin),
                json!({"username": username, "role": role}),
                StatusCode::NO_CONTENT,
                &format!("making {name} {role} of org {org}"),
            )
            .await;
        token
    }

    fn poster_side(&self) -> &Studio {
        self.poster
            .as_ref()
            .unwrap_or_else(|| missing("poster studio", "with_poster_studio"))
    }

    fn b_side(&self) -> &Studio {
        self.b
            .as_ref()
            .unwrap_or_else(|| missing("studio B", "with_claimant_studios"))
    }

    fn c_side(&self) -> &Studio {
        self.c
            .as_ref()
            .unwrap_or_else(|| missing("studio C", "with_claimant_studios"))
    }

    fn outsider_side(&self) -> &Studio {
        self.outsider
            .as_ref()
            .unwrap_or_else(|| missing("outsider studio", "with_outsider_studio"))
    }

    fn union_people(&self) -> &UnionPeople {
        self.union
            .as_ref()
            .unwrap_or_else(|| missing("union people", "with_union_people"))
    }

    /// The poster studio's leader (王建国).
    pub fn poster(&self) -> &str {
        &self.poster_side().leader
    }

    /// The poster studio.
    pub fn poster_studio(&self) -> i64 {
        self.poster_side().id
    }

    /// Studio B's leader (李明).
    pub fn b(&self) -> &str {
        &self.b_side().leader
    }

    /// Studio B's leader's user id.
    pub fn b_id(&self) -> i64 {
        self.b_side().leader_id
    }

    /// Studio B.
    pub fn b_studio(&self) -> i64 {
        self.b_side().id
    }

    /// Studio C's leader (张雅琴).
    pub fn c(&self) -> &str {
        &self.c_side().leader
    }

    /// Studio C.
    pub fn c_studio(&self) -> i64 {
        self.c_side().id
    }

    /// The outsider studio's leader (赵铁军).
    pub fn outsider(&self) -> &str {
        &self.outsider_side().leader
    }

    /// The outsider studio.
    pub fn outsider_studio(&self) -> i64 {
        self.outsider_side().id
    }

    /// Studio C's plain member (刘宇轩).
    pub fn c_member(&self) -> &str {
        &self.c_member_entry().1
    }

    /// Studio C's plain member's user id.
    pub fn c_member_id(&self) -> i64 {
        self.c_member_entry().0
    }

    fn c_member_entry(&self) -> &(i64, String) {
        self.c_member
            .as_ref()
            .unwrap_or_else(|| missing("member of C", "with_member_in_c"))
    }

    /// The poster studio's member who posts (赵敏).
    pub fn author(&self) -> &str {
        &self.author_side().1
    }

    /// The author's user id.
    pub fn author_id(&self) -> i64 {
        self.author_side().0
    }

    fn author_side(&self) -> &(i64, String) {
        self.author
            .as_ref()
            .unwrap_or_else(|| missing("author", "with_author_in_poster_studio"))
    }

    /// Staff of the city above the enterprise.
    pub fn city_staff(&self) -> &str {
        &self.union_people().city_staff
    }

    /// Staff of another province.
    pub fn far_staff(&self) -> &str {
        &self.union_people().far_staff
    }

    /// An expert of the district above the enterprise.
    pub fn expert(&self) -> &str {
        &self.union_people().expert
    }

    /// A POST as `token`: the status and the body.
    pub async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.app.post_json(path, Some(token), body).await
    }

    /// A challenge posted by the poster studio's leader and published; `extra` overrides
    /// fields.
    pub async fn open_challenge(&self, extra: Value) -> i64 {
        self.open_challenge_as(self.poster(), extra).await
    }

    /// A challenge of the poster studio posted by `token` and published; `extra` overrides
    /// fields.
    pub async fn open_challenge_as(&self, token: &str, extra: Value) -> i64 {
        let mut body = json!({
            "studio_id": self.poster_studio(),
            "title": "大型铸件焊缝超声波探伤漏检率高",
            "description": "近半年焊缝返修率上升到 **3.2%**，需要一套可靠的探伤工艺。",
            "industry": "machinery",
            "tags": ["焊缝", "探伤"],
            "deadline": "2099-12-31",
            "reward_yuan": 50000
        });
        merge(&mut body, extra);
        let (status, ch) = self.post("/api/v1/challenges", token, body).await;
        assert_eq!(status, StatusCode::CREATED, "posting a challenge: {ch}");
        assert_eq!(ch["status"], "draft");
        let id = id(&ch);
        let (status, published) = self
            .post(
                &format!("/api/v1/challenges/{id}/publish"),
                token,
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "publishing {id}: {published}");
        assert_eq!(published["status"], "open");
        id
    }

    /// A claim of `studio` (led by `token`) on `challenge`, as sent: the status and the body.
    pub async fn try_claim(&self, challenge: i64, token: &str, studio: i64) -> (StatusCode, Value) {
        let body = json!({"studio_id": studio, "proposal": "采用相控阵超声检测替代常规探伤，三个月内完成工艺验证。"});
        self.post(
            &format!("/api/v1/challenges/{challenge}/claims"),
            token,
            body,
        )
        .await
    }

    /// A pending claim of `studio` (led by `token`) on `challenge`; its id.
    pub async fn claim(&self, challenge: i64, token: &str, studio: i64) -> i64 {
        let (status, claim) = self.try_claim(challenge, token, studio).await;
        assert_eq!(status, StatusCode::CREATED, "claiming {challenge}: {claim}");
        assert_eq!(claim["status"], "pending");
        id(&claim)
    }

    /// The poster's award of `claim` on `challenge`.
    pub async fn award(&self, challenge: i64, claim: i64) -> Value {
        self.app
            .expect_post(
                &format!("/api/v1/challenges/{challenge}/claims/{claim}/award"),
                Some(self.poster()),
                json!({}),
                StatusCode::OK,
                &format!("awarding claim {claim} of challenge {challenge}"),
            )
            .await
    }

    /// The awarded team's delivery of `challenge`, sent by `token`.
    pub async fn deliver(&self, challenge: i64, token: &str, summary: &str) -> Value {
        self.app
            .expect_post(
                &format!("/api/v1/challenges/{challenge}/deliver"),
                Some(token),
                json!({"summary": summary}),
                StatusCode::OK,
                &format!("delivering challenge {challenge}"),
            )
            .await
    }

    /// The account behind `token` (`/api/v1/me`).
    pub async fn me(&self, token: &str) -> Value {
        self.app
            .expect_get("/api/v1/me", Some(token), StatusCode::OK, "reading /me")
            .await
    }

    /// A challenge as anyone sees it.
    pub async fn detail(&self, challenge: i64) -> Value {
        self.app
            .expect_get(
                &format!("/api/v1/challenges/{challenge}"),
                None,
                StatusCode::OK,
                &format!("reading challenge {challenge}"),
            )
            .await
    }

    /// `token`'s unread count and the kinds of its notifications.
    pub async fn unread(&self, token: &str) -> (i64, Vec<String>) {
        let n = self.notifications(token).await;
        let kinds = n["items"]
            .as_array()
            .expect("notification items")
            .iter()
            .map(|i| i["kind"].as_str().expect("a kind").to_owned())
            .collect();
        (n["unread"].as_i64().expect("an unread count"), kinds)
    }

    /// How many notifications of `kind` `token` has.
    pub async fn count(&self, token: &str, kind: &str) -> usize {
        self.unread(token)
            .await
            .1
            .iter()
            .filter(|k| *k == kind)
            .count()
    }

    /// Notifications of `kind` for (author, poster leader, city staff, other province's
    /// staff, district expert).
    pub async fn counts(&self, kind: &str) -> [usize; 5] {
        [
            self.count(self.author(), kind).await,
            self.count(self.poster(), kind).await,
            self.count(self.city_staff(), kind).await,
            self.count(self.far_staff(), kind).await,
            self.count(self.expert(), kind).await,
        ]
    }

    /// `token`'s notifications page.
    pub async fn notifications(&self, token: &str) -> Value {
        self.app
            .expect_get(
                "/api/v1/notifications",
                Some(token),
                StatusCode::OK,
                "reading notifications",
            )
            .await
    }

    /// One sweep pass as if the time were `now` (ms).
    pub async fn sweep_at(&self, now: i64) -> Report {
        sweep(&self.app.state.db, thresholds(&self.app.state.config), now)
            .await
            .expect("a sweep pass")
    }
}
