//! Strings of the bulletin pages (简报).

pub static BULLETIN_MESSAGES: &[(&str, &str, &str)] = &[
    ("nav.bulletins", "简报", "Bulletins"),
    ("bu.title", "简报", "Bulletins"),
    (
        "bu.intro",
        "上级工会印发的工作简报：典型经验、工作部署和通知，下发到所辖工作室和工会。",
        "Bulletins from the unions above: good practice, plans and notices, sent down to their studios and unions.",
    ),
    ("bu.none", "暂无简报。", "No bulletins yet."),
    ("bu.read_count", "已读", "read by"),
    ("bu.compose", "印发简报", "Send a bulletin"),
    ("bu.org", "印发单位", "From"),
    ("bu.heading", "标题", "Title"),
    (
        "bu.heading_hint",
        "如：第 3 期 劳模工匠创新工作室联盟建设简报",
        "e.g. Alliance bulletin no. 3",
    ),
    ("bu.body", "正文", "Text"),
    (
        "bu.body_hint",
        "空一行分段；以“## ”开头的一行是小标题，以“- ”开头的是列表项。",
        "A blank line starts a paragraph; a line starting with \"## \" is a heading, \"- \" a list item.",
    ),
    ("bu.send", "印发", "Send"),
    (
        "bu.send_confirm",
        "确认印发吗？下级所有工作室成员和工会工作人员都会收到通知。",
        "Send it? Everyone in the studios and unions below is notified.",
    ),
    (
        "bu.sent",
        "简报已印发，下级已收到通知。",
        "Sent; everyone below has been told.",
    ),
    ("bu.reads", "阅读情况", "Who read it"),
    ("bu.studios", "已阅读的工作室", "Studios that read it"),
    ("bu.read", "已读", "Read"),
    ("bu.unread", "未读", "Not yet"),
    ("bu.readers", "阅读人", "Readers"),
    ("bu.images", "配图（可选）", "Pictures (optional)"),
    (
        "bu.images_hint",
        "JPEG、PNG 或 WebP 图片，每张不超过 5 MB，一次最多 3 张，每期最多 9 张。",
        "JPEG, PNG or WebP, up to 5 MB each, 3 at once, 9 a bulletin.",
    ),
    ("bu.add_images", "添加配图", "Add pictures"),
    ("bu.upload", "上传", "Upload"),
    ("bu.images_added", "配图已添加。", "Pictures added."),
];
