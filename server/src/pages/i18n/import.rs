//! Strings of the studio list import page (导入工作室名单).

pub static IMPORT_MESSAGES: &[(&str, &str, &str)] = &[
    ("im.title", "导入工作室名单", "Import the studio list"),
    (
        "im.link",
        "导入或导出工作室名单（Excel）",
        "Import or export the studio list (Excel)",
    ),
    ("im.choose", "选择表格", "Choose the sheet"),
    (
        "im.intro",
        "上传本会的工作室名单（Excel .xlsx 或 CSV）。第一行（或标题行下面一行）为表头，列的顺序不限：",
        "Upload the union's studio list (xlsx or CSV). The first row (or the one under a title) holds the headings, in any order:",
    ),
    ("im.optional", "可选", "optional"),
    ("im.file", "表格文件", "Sheet"),
    (
        "im.file_hint",
        "不超过 10 MB、10000 行。所在单位填本会下属基层工会的名称，领衔人填其在平台的用户名；类型、行业按平台的中文名称填写。",
        "Up to 10 MB and 10,000 rows. 所在单位 is a unit union under this one; 领衔人 a username; kind and industry by their Chinese names.",
    ),
    ("im.check", "先检查", "Check"),
    ("im.import", "导入", "Import"),
    (
        "im.confirm",
        "确认导入吗？全部行一次写入；有任何一行有误则都不导入。",
        "Import it? Every row is written at once; with any faulty row nothing is.",
    ),
    (
        "im.export",
        "导出本会工作室名单（Excel，可修改后再导入）",
        "Export the studio list (Excel, to edit and import back)",
    ),
    (
        "im.checked",
        "检查结果（尚未导入）",
        "Checked (not imported yet)",
    ),
    ("im.applied", "已导入", "Imported"),
    ("im.created", "新增", "New"),
    ("im.updated", "更新", "Updated"),
    ("im.unchanged", "无变化", "Unchanged"),
    ("im.errors", "有误", "Faulty"),
    (
        "im.fix",
        "请按下列提示修改表格后重新上传；有误的表格不会导入任何一行。",
        "Correct the rows below and upload again; a faulty sheet imports nothing.",
    ),
    (
        "im.ready",
        "检查通过，可以导入。",
        "All rows are fine: you may import.",
    ),
    ("im.row", "第", "Row"),
    ("im.row_end", "行", ""),
    ("im.changes", "将更新", "Changes"),
    ("im.outcome.created", "新增", "New"),
    ("im.outcome.updated", "更新", "Updated"),
    ("im.outcome.unchanged", "无变化", "Unchanged"),
    ("im.outcome.error", "有误", "Faulty"),
];
