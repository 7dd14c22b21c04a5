//! Interface strings: zh-CN first, English second. Templates ask `t.s("key")`.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::domain::org::OrgLevel;
use crate::domain::studio::{INDUSTRIES, KINDS, label};

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "zh" | "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The `lang` attribute of the page.
    pub fn html(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// (key, 中文, English)
static MESSAGES: &[(&str, &str, &str)] = &[
    ("site.name", "联盟", "Lianmeng"),
    (
        "site.tagline",
        "劳模和工匠人才创新工作室联盟平台",
        "Model-worker and craftsman innovation studio alliances",
    ),
    ("site.skip", "跳到正文", "Skip to content"),
    ("nav.home", "首页", "Home"),
    ("nav.studios", "工作室", "Studios"),
    ("nav.orgs", "工会组织", "Union tree"),
    ("nav.me", "我的", "My account"),
    ("nav.login", "登录", "Sign in"),
    ("nav.register", "注册", "Register"),
    ("nav.logout", "退出", "Sign out"),
    ("nav.lang", "English", "中文"),
    ("nav.api", "API 文档", "API docs"),
    (
        "home.lead",
        "推动每一个劳模和工匠人才创新工作室上线进网，线上线下结合，揭榜攻关、共享成果、传承技艺。",
        "Every model-worker and craftsman innovation studio online: tackle hard problems together, share outcomes, pass on skills.",
    ),
    ("home.registered", "已登记工作室", "Studios registered"),
    ("home.online", "已上线进网", "Studios online"),
    (
        "home.browse",
        "浏览工作室名录",
        "Browse the studio directory",
    ),
    ("home.create", "登记我的工作室", "Register my studio"),
    ("home.how", "如何上线进网", "How a studio goes online"),
    (
        "home.step1",
        "注册账号，完善领衔人信息。",
        "Create an account and fill in the leader's profile.",
    ),
    (
        "home.step2",
        "按申报表填写工作室基本情况：依托单位、类型、专业领域、创建目标、简介等。",
        "Fill in the application form: host unit, kind, field, goals, introduction…",
    ),
    (
        "home.step3",
        "添加成员和徒弟，资料完整后一键上线进网。",
        "Add members and apprentices, then go online once the profile is complete.",
    ),
    ("auth.username", "用户名", "Username"),
    (
        "auth.username_hint",
        "3–32 位小写字母、数字或 _.-",
        "3–32 lowercase letters, digits or _.-",
    ),
    ("auth.password", "密码", "Password"),
    (
        "auth.password_hint",
        "至少 8 个字符",
        "At least 8 characters",
    ),
    ("auth.display_name", "姓名（显示名）", "Display name"),
    ("auth.login_title", "登录", "Sign in"),
    ("auth.register_title", "注册账号", "Create an account"),
    ("auth.no_account", "还没有账号？", "No account yet?"),
    ("auth.have_account", "已有账号？", "Already registered?"),
    (
        "auth.bad_login",
        "用户名或密码错误。",
        "Wrong username or password.",
    ),
    (
        "auth.too_many",
        "尝试次数过多，请稍后再试。",
        "Too many attempts; try again later.",
    ),
    ("form.save", "保存", "Save"),
    ("form.create", "创建", "Create"),
    ("form.add", "添加", "Add"),
    ("form.filter", "筛选", "Filter"),
    ("form.any", "全部", "Any"),
    ("form.choose", "请选择", "Choose…"),
    (
        "form.errors",
        "请修改以下内容：",
        "Please correct the following:",
    ),
    ("form.optional", "选填", "optional"),
    ("form.required", "必填", "required"),
    ("studio.directory", "工作室名录", "Studio directory"),
    ("studio.new", "登记工作室", "Register a studio"),
    ("studio.name", "工作室名称", "Studio name"),
    (
        "studio.name_hint",
        "如：王建国劳模创新工作室",
        "e.g. 王建国劳模创新工作室",
    ),
    ("studio.org", "依托单位", "Host unit"),
    ("studio.naming_org", "命名单位", "Naming union"),
    ("studio.kind", "工作室类型", "Kind"),
    ("studio.field", "专业领域", "Professional field"),
    ("studio.industry", "所属行业", "Industry"),
    ("studio.region", "所在地区", "Region"),
    ("studio.founded_on", "创建时间", "Founded on"),
    ("studio.goals", "创建目标", "Goals"),
    ("studio.intro", "工作室简介", "Introduction"),
    ("studio.outcomes_summary", "主要成果", "Outcomes"),
    ("studio.honours", "所获荣誉", "Honours"),
    ("studio.demonstration", "示范工作室", "Demonstration studio"),
    ("studio.online", "已上线", "Online"),
    ("studio.offline", "未上线", "Not online"),
    ("studio.onboarded_at", "上线时间", "Online since"),
    ("studio.leader", "领衔人", "Leader"),
    ("studio.members", "团队成员", "Team"),
    ("studio.member_count", "名成员", "members"),
    ("studio.role.leader", "领衔人", "Leader"),
    ("studio.role.member", "成员", "Member"),
    ("studio.role.apprentice", "徒弟", "Apprentice"),
    (
        "studio.add_member",
        "添加成员或徒弟",
        "Add a member or apprentice",
    ),
    ("studio.member_username", "成员用户名", "Member's username"),
    ("studio.member_role", "身份", "Role"),
    ("studio.edit", "编辑申报信息", "Edit the profile"),
    ("studio.profile", "工作室基本情况", "Studio profile"),
    (
        "studio.leader_profile",
        "领衔人基本情况",
        "Leader's profile",
    ),
    ("studio.onboard", "上线进网", "Go online"),
    (
        "studio.onboard_ready",
        "资料已完整，可以上线进网。",
        "The profile is complete: the studio can go online.",
    ),
    (
        "studio.onboard_missing",
        "上线前还需填写：",
        "Before going online, fill in:",
    ),
    (
        "studio.draft_notice",
        "本工作室尚未上线，仅成员和上级工会可见。",
        "This studio is not online yet: only its members and the unions above it can see it.",
    ),
    (
        "studio.none",
        "没有符合条件的工作室。",
        "No studio matches.",
    ),
    ("studio.next_page", "下一页", "Next page"),
    ("studio.my", "我的工作室", "My studios"),
    ("studio.status", "命名状态", "Naming status"),
    ("studio.contact", "联系方式", "Contact"),
    ("status.draft", "未命名", "Not named"),
    ("status.submitted", "已申报", "Submitted"),
    ("status.under_review", "评审中", "Under review"),
    ("status.public_notice", "公示中", "Public notice"),
    ("status.named", "已命名", "Named"),
    ("status.rectification", "整改中", "Rectification"),
    ("status.delisted", "已摘牌", "Delisted"),
    ("person.real_name", "真实姓名", "Real name"),
    ("person.gender", "性别", "Gender"),
    ("person.birth_month", "出生年月", "Birth month"),
    ("person.education", "学历", "Education"),
    ("person.ethnicity", "民族", "Ethnicity"),
    ("person.political_status", "政治面貌", "Political status"),
    ("person.trade", "工种", "Trade"),
    ("person.title", "技术职称 / 技能等级", "Technical title"),
    ("person.phone", "联系电话", "Phone"),
    ("person.email", "电子邮箱", "E-mail"),
    ("person.honours", "个人荣誉", "Honours"),
    ("person.male", "男", "Male"),
    ("person.female", "女", "Female"),
    ("me.title", "我的账号", "My account"),
    ("me.profile", "个人资料", "Personal profile"),
    ("me.roles", "工会职务", "Union roles"),
    ("me.saved", "已保存。", "Saved."),
    ("org.tree", "工会组织", "Union tree"),
    ("org.children", "下级组织", "Member orgs"),
    ("org.level", "层级", "Level"),
    ("org.name", "组织名称", "Name"),
    ("org.add_child", "添加下级组织", "Add a member org"),
    ("org.staff", "工会干部", "Union staff"),
    (
        "org.grant_staff",
        "授予工会干部权限",
        "Make a user staff here",
    ),
    ("org.deadlines", "上线进网期限", "Onboarding deadlines"),
    (
        "org.deadline_demo",
        "示范工作室上线期限",
        "Demonstration studios online by",
    ),
    (
        "org.deadline_all",
        "全部工作室上线期限",
        "All studios online by",
    ),
    (
        "org.inherited",
        "未设置时沿用上级",
        "inherited from above when empty",
    ),
    ("org.onboarding", "上线进网进度", "Onboarding progress"),
    ("org.registered", "已登记", "Registered"),
    ("org.online", "已上线", "Online"),
    ("org.demo", "示范", "Demonstration"),
    ("org.late", "逾期", "Late"),
    ("org.role.staff", "工会干部", "Union staff"),
    ("org.role.expert", "专家", "Expert"),
    (
        "studio.profile_empty",
        "尚未填写工作室基本情况。",
        "The profile has not been filled in yet.",
    ),
    ("org.today", "统计日期", "As of"),
    ("org.studios", "本单位工作室", "Studios here"),
    ("org.none", "暂无下级组织。", "No member orgs yet."),
    ("org.roots", "顶级组织", "Top-level unions"),
    ("error.title", "出错了", "Something went wrong"),
    (
        "error.not_found",
        "页面不存在，或您无权查看。",
        "This page does not exist, or you may not see it.",
    ),
    (
        "error.forbidden",
        "您无权执行此操作。",
        "You are not allowed to do this.",
    ),
    ("error.back", "返回首页", "Back to the home page"),
];

static TABLE: LazyLock<HashMap<&'static str, (&'static str, &'static str)>> = LazyLock::new(|| {
    MESSAGES
        .iter()
        .map(|(k, zh, en)| (*k, (*zh, *en)))
        .collect()
});

/// The strings of one language, handed to every template as `t`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    /// The text for `key`; the key itself if it is missing (a test keeps the table complete).
    pub fn s<'a>(&self, key: &'a str) -> &'a str {
        match TABLE.get(key) {
            Some((zh, en)) => match self.lang {
                Lang::Zh => zh,
                Lang::En => en,
            },
            None => key,
        }
    }

    fn en(&self) -> bool {
        self.lang == Lang::En
    }

    pub fn kind(&self, code: &str) -> String {
        label(&KINDS, code, self.en()).to_owned()
    }

    pub fn industry(&self, code: &str) -> String {
        label(&INDUSTRIES, code, self.en()).to_owned()
    }

    pub fn level(&self, code: &str) -> &'static str {
        match OrgLevel::parse(code) {
            Some(l) if self.en() => l.label_en(),
            Some(l) => l.label_zh(),
            None => "",
        }
    }

    pub fn status(&self, code: &str) -> String {
        self.s(&format!("status.{code}")).to_owned()
    }

    pub fn staff_role(&self, code: &str) -> String {
        self.s(&format!("org.role.{code}")).to_owned()
    }

    pub fn role(&self, code: &str) -> String {
        self.s(&format!("studio.role.{code}")).to_owned()
    }

    /// Every (code, label) of the studio kinds, for selects.
    pub fn kinds(&self) -> Vec<(&'static str, &'static str)> {
        KINDS
            .iter()
            .map(|(c, zh, en)| (*c, if self.en() { *en } else { *zh }))
            .collect()
    }

    pub fn industries(&self) -> Vec<(&'static str, &'static str)> {
        INDUSTRIES
            .iter()
            .map(|(c, zh, en)| (*c, if self.en() { *en } else { *zh }))
            .collect()
    }

    pub fn levels(&self) -> Vec<(&'static str, &'static str)> {
        OrgLevel::ALL
            .iter()
            .map(|l| {
                (
                    l.code(),
                    if self.en() {
                        l.label_en()
                    } else {
                        l.label_zh()
                    },
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `t.s("…")` in the templates has an entry, so no page shows a raw key.
    #[test]
    fn every_key_used_by_a_template_is_translated() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../web/templates");
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(dir)];
        while let Some(p) = stack.pop() {
            for entry in std::fs::read_dir(&p).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for part in text.split("t.s(\"").skip(1) {
                    let key = part.split('"').next().unwrap();
                    if !TABLE.contains_key(key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "untranslated keys: {missing:?}");
    }

    #[test]
    fn keys_are_unique() {
        assert_eq!(TABLE.len(), MESSAGES.len());
    }
}
