//! Test data: a small platform's worth of challenges, outcomes and studios, Chinese first.

#![allow(dead_code)]

use lianmeng_search::{Document, SearchIndex, Visibility, WriterOptions, kinds};
use tempfile::TempDir;

/// A document with facets.
#[allow(clippy::too_many_arguments)]
pub fn doc(
    kind: &str,
    id: i64,
    title: &str,
    body: &str,
    industry: &str,
    region: &str,
    status: &str,
    year: i64,
) -> Document {
    Document {
        industry: Some(industry.into()),
        region: Some(region.into()),
        status: Some(status.into()),
        year: Some(year),
        studio_id: Some(100 + id),
        ..Document::new(kind, id, title, body)
    }
}

/// The shared corpus: welding, spindles, PLCs, switchgear and semiconductors.
pub fn corpus() -> Vec<Document> {
    use kinds::*;
    let mut private = doc(
        CHALLENGE,
        7,
        "焊缝探伤机器人路径规划（联盟内部）",
        "联盟成员单位内部攻关：焊缝探伤机器人在管道内的路径规划与定位。",
        "machinery",
        "hubei",
        "open",
        2025,
    );
    private.visibility = Visibility::Alliance(1);
    let mut other_private = doc(
        CHALLENGE,
        8,
        "核电焊缝检测工艺保密课题",
        "仅限二号联盟：核电站主管道焊缝的超声检测工艺。",
        "energy",
        "guangdong",
        "open",
        2025,
    );
    other_private.visibility = Visibility::Alliance(2);
    vec![
        doc(
            CHALLENGE,
            1,
            "焊缝探伤自动化检测难题",
            "船体分段焊接后，焊缝探伤依靠人工超声检测，效率低、漏检多，征集自动化检测方案。",
            "shipbuilding",
            "shanghai",
            "open",
            2025,
        ),
        doc(
            OUTCOME,
            2,
            "超声相控阵检测在船体焊接中的应用",
            "采用相控阵超声对焊缝进行探伤，缺陷检出率提高到98%，已在三家船厂推广。",
            "shipbuilding",
            "shanghai",
            "published",
            2024,
        ),
        doc(
            OUTCOME,
            3,
            "数控机床主轴轴承温升控制方法",
            "通过改进润滑和预紧力调整，主轴轴承温升降低12℃，加工精度稳定。",
            "machinery",
            "liaoning",
            "published",
            2023,
        ),
        doc(
            CHALLENGE,
            4,
            "PLC 故障诊断与远程运维",
            "生产线 PLC 频繁出现通讯故障，需要一套故障诊断与远程运维系统。",
            "automation",
            "jiangsu",
            "open",
            2025,
        ),
        doc(
            CHALLENGE,
            5,
            "6kV 开关柜局部放电在线监测",
            "变电站 6kV 开关柜局部放电导致多次跳闸，征集在线监测与预警方案。",
            "energy",
            "hubei",
            "awarded",
            2024,
        ),
        doc(
            OUTCOME,
            6,
            "GaAs 外延片表面缺陷的快速检测",
            "针对砷化镓（GaAs）外延片的表面缺陷，提出基于机器视觉的快速检测方法。",
            "electronics",
            "guangdong",
            "published",
            2023,
        ),
        private,
        other_private,
        doc(
            STUDIO,
            9,
            "王建国焊接创新工作室",
            "工作室长期从事焊接工艺与焊缝质量控制，培养高级技师二十余名。",
            "shipbuilding",
            "shanghai",
            "named",
            2020,
        ),
        doc(
            OUTCOME,
            10,
            "机器人路径规划算法综述",
            "总结了工业机器人路径规划的常用算法，包括探伤、喷涂和搬运等场景。",
            "automation",
            "jiangsu",
            "published",
            2022,
        ),
    ]
}

/// A fresh index in a temporary directory.
pub fn empty_index() -> (TempDir, SearchIndex) {
    let dir = tempfile::tempdir().expect("tempdir");
    let index =
        SearchIndex::open(dir.path().join("search"), WriterOptions::default()).expect("open index");
    (dir, index)
}

/// A fresh index holding [`corpus`], committed with outbox id 42.
pub fn loaded_index() -> (TempDir, SearchIndex) {
    let (dir, index) = empty_index();
    for d in corpus() {
        index.upsert(&d).expect("upsert");
    }
    index.commit(Some(42)).expect("commit");
    (dir, index)
}
