//! Strings of the outcome pages (成果): entering and changing one, its files, adoptions and
//! transfer enquiries.

pub static OUTCOME_MESSAGES: &[(&str, &str, &str)] = &[
    ("oc.edit", "修改成果", "Change the outcome"),
    ("oc.remove", "删除成果", "Remove the outcome"),
    (
        "oc.remove_confirm",
        "删除后这项成果、它的附件和推广记录都将不再保留，确定删除吗？",
        "The outcome, its files and its adoptions will be gone. Remove it?",
    ),
    ("oc.files", "附件", "Files"),
    (
        "oc.files_hint",
        "专利证书扫描件、现场照片或操作法 PDF，每个不超过 10 MB，每项成果最多 9 个。",
        "Certificate scans, photos or a PDF of the method: up to 10 MB each, 9 an outcome.",
    ),
    ("oc.add_files", "添加附件", "Add files"),
    ("oc.file_pdf", "PDF 文件", "PDF"),
    (
        "oc.patent_hint",
        "专利类成果须填写，如 ZL202310123456.7",
        "Needed for a patent, such as ZL202310123456.7",
    ),
    (
        "oc.transferable_hint",
        "勾选后，其他单位可以发起意向洽谈",
        "Other units may then start a transfer enquiry",
    ),
    (
        "oc.by_hand_intro",
        "专利、先进操作法、绝招绝技、QC 成果等不经揭榜攻关产生的成果，在这里登记。",
        "Enter a patent, an operating method, a signature skill or a QC result that did not come from a challenge.",
    ),
    ("oc.unit_pick", "应用单位", "Adopting unit"),
    (
        "oc.adopt_hint",
        "由应用单位的人员或上级工会登记，成果所在工作室确认后计入推广数。",
        "Recorded by the adopting unit or the union above it; it counts once the studio confirms it.",
    ),
    (
        "oc.adoption.pending",
        "待工作室确认",
        "Waiting for the studio",
    ),
    ("oc.adoption.confirmed", "已确认", "Confirmed"),
    ("oc.adoption.declined", "已退回", "Declined"),
    ("oc.confirm", "确认", "Confirm"),
    ("oc.decline", "退回", "Decline"),
    (
        "oc.decline_confirm",
        "退回后这条推广应用不计入成果推广数，确定退回吗？",
        "A declined adoption never counts. Decline it?",
    ),
    ("oc.recorded_by", "登记人", "Recorded by"),
    ("oc.enquiry", "意向洽谈", "Transfer enquiry"),
    (
        "oc.enquiry_hint",
        "您的留言会发给工作室领衔人，并在“交流”里打开与他的私聊。",
        "Your message goes to the studio's leader and opens a private conversation in Chat.",
    ),
    (
        "oc.enquiry_message",
        "想了解什么",
        "What you would like to know",
    ),
    ("oc.enquiry_send", "发起洽谈", "Start the conversation"),
    (
        "oc.done.created",
        "成果已登记，可在搜索中找到。",
        "The outcome is entered; search finds it.",
    ),
    ("oc.done.saved", "修改已保存。", "Saved."),
    (
        "oc.done.removed",
        "成果已删除。",
        "The outcome was removed.",
    ),
    (
        "oc.done.adopted",
        "推广应用已登记，等待工作室确认。",
        "Recorded; it waits for the studio's answer.",
    ),
    (
        "oc.done.confirmed",
        "已确认这条推广应用。",
        "The adoption is confirmed.",
    ),
    (
        "oc.done.declined",
        "已退回这条推广应用。",
        "The adoption was declined.",
    ),
    ("oc.updated", "更新于", "Updated"),
];
