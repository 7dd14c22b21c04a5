//! Searching: Chinese words, mixed Latin terms, phrases, permissions, snippets, filters, paging
//! and bounded input, through the public API on a real index directory.

mod common;

use common::{corpus, empty_index, loaded_index};
use lianmeng_search::{
    CLOSE_ENOUGH, DocKey, Document, Filters, Permission, Query, QueryError, SearchError,
    SearchIndex, kinds,
};

fn ids(index: &SearchIndex, text: &str, permission: Permission) -> Vec<i64> {
    let results = index.search(&Query::new(text, permission)).expect("search");
    results.items.iter().map(|h| h.id).collect()
}

fn query_error(index: &SearchIndex, query: &Query) -> QueryError {
    match index.search(query) {
        Err(SearchError::Query(e)) => e,
        other => panic!("expected a query error for {:?}, got {other:?}", query.text),
    }
}

#[test]
fn two_character_trade_words_find_their_documents() {
    let (_dir, index) = loaded_index();
    let mut welds = ids(&index, "焊缝", Permission::public());
    welds.sort();
    assert_eq!(welds, vec![1, 2, 9]);
    assert_eq!(ids(&index, "主轴", Permission::public()), vec![3]);
    assert_eq!(ids(&index, "轴承", Permission::public()), vec![3]);
}

#[test]
fn mixed_latin_and_number_queries_match() {
    let (_dir, index) = loaded_index();
    assert_eq!(ids(&index, "PLC 故障", Permission::public())[0], 4);
    assert_eq!(ids(&index, "plc故障", Permission::public())[0], 4);
    assert_eq!(ids(&index, "6kV 开关柜", Permission::public()), vec![5]);
    assert_eq!(ids(&index, "GaAs", Permission::public()), vec![6]);
    assert_eq!(ids(&index, "gaas 外延片", Permission::public()), vec![6]);
}

#[test]
fn a_title_with_the_whole_query_ranks_above_one_with_only_its_pieces() {
    // Among other documents, so that the words' IDF is what it would be on a real index.
    let (_dir, index) = loaded_index();
    let pieces = Document::new(
        kinds::OUTCOME,
        11,
        "规划机器人的路径：机器人与路径",
        "机器人 路径 规划，机器人的路径需要规划，规划好机器人路径。",
    );
    let whole = Document::new(kinds::OUTCOME, 12, "机器人路径规划方法", "一种新方法。");
    index.upsert(&pieces).unwrap();
    index.upsert(&whole).unwrap();
    index.commit(None).unwrap();
    let found = ids(&index, "机器人路径规划", Permission::public());
    let rank = |id| found.iter().position(|&x| x == id).unwrap();
    assert!(rank(12) < rank(11), "{found:?}");
}

#[test]
fn a_word_of_its_own_ranks_above_the_same_characters_inside_a_longer_word() {
    let (_dir, index) = loaded_index();
    let winter_wheat = Document::new(
        kinds::OUTCOME,
        21,
        "冬小麦灌溉制度",
        "冬小麦拔节期灌溉，冬小麦产量提高，冬小麦水分利用效率提高。",
    );
    let wheat = Document::new(kinds::OUTCOME, 22, "小麦新品种推广", "小麦品种的区域试验。");
    index.upsert(&winter_wheat).unwrap();
    index.upsert(&wheat).unwrap();
    index.commit(None).unwrap();
    // Both are found: 小麦 inside 冬小麦 still matches, it only counts for less.
    assert_eq!(ids(&index, "小麦", Permission::public()), vec![22, 21]);
}

#[test]
fn a_compound_word_also_finds_its_parts_written_apart() {
    let (_dir, index) = empty_index();
    let apart = Document::new(
        kinds::CHALLENGE,
        1,
        "桥梁检测",
        "大跨度桥梁的施工工程质量控制。",
    );
    let together = Document::new(kinds::CHALLENGE, 2, "桥梁工程施工", "桥梁工程的质量控制。");
    index.upsert(&apart).unwrap();
    index.upsert(&together).unwrap();
    index.commit(None).unwrap();
    assert_eq!(ids(&index, "桥梁工程", Permission::public()), vec![2, 1]);
}

#[test]
fn a_lone_character_is_not_required_when_jieba_joins_it_differently_in_the_text() {
    let (_dir, index) = empty_index();
    // In this sentence jieba reads 感及 as one word, so 感 is not a token of the document.
    let doc = Document::new(
        kinds::OUTCOME,
        1,
        "创业研究",
        "目标导向与自我效能感及创业行动的关系。",
    );
    index.upsert(&doc).unwrap();
    index.commit(None).unwrap();
    assert_eq!(ids(&index, "自我效能感", Permission::public()), vec![1]);
}

#[test]
fn a_quoted_phrase_must_occur_as_a_phrase() {
    let (_dir, index) = loaded_index();
    // Document 2 has 焊缝 and 探伤 apart ("对焊缝进行探伤"); only 1 has the phrase.
    assert_eq!(ids(&index, "“焊缝探伤”", Permission::public()), vec![1]);
    assert_eq!(ids(&index, "\"焊缝探伤\"", Permission::public()), vec![1]);
    let mut unquoted = ids(&index, "焊缝探伤", Permission::public());
    assert_eq!(unquoted[0], 1);
    unquoted.sort();
    assert_eq!(unquoted, vec![1, 2]);
}

#[test]
fn alliance_only_documents_are_hidden_from_others_even_in_counts() {
    let (_dir, index) = loaded_index();
    let public = index
        .search(&Query::new("焊缝", Permission::public()))
        .unwrap();
    assert_eq!(public.total, 3);
    assert_eq!(public.facets.kind.get("challenge"), Some(&1));
    assert!(
        !public.facets.industry.contains_key("energy"),
        "{:?}",
        public.facets
    );
    assert!(!public.facets.region.contains_key("guangdong"));
    assert!(!public.facets.region.contains_key("hubei"));

    let member = index
        .search(&Query::new("焊缝", Permission::member_of([1])))
        .unwrap();
    assert_eq!(member.total, 4);
    assert_eq!(member.facets.kind.get("challenge"), Some(&2));
    assert_eq!(member.facets.region.get("hubei"), Some(&1));
    assert!(!member.facets.region.contains_key("guangdong"));
    assert!(member.items.iter().all(|h| h.id != 8));

    let staff = index
        .search(&Query::new("焊缝", Permission::read_all()))
        .unwrap();
    assert_eq!(staff.total, 5);
    assert_eq!(staff.facets.year.get(&2025), Some(&3));
}

#[test]
fn facets_count_every_match_not_just_the_page() {
    let (_dir, index) = loaded_index();
    let mut q = Query::new("检测", Permission::public());
    q.limit = 1;
    let r = index.search(&q).unwrap();
    assert_eq!(r.items.len(), 1);
    let by_kind: u64 = r.facets.kind.values().sum();
    assert_eq!(by_kind, r.total);
    assert_eq!(r.total, 3, "{r:?}");
}

#[test]
fn filters_narrow_results_and_combine() {
    let (_dir, index) = loaded_index();
    let mut q = Query::new("检测", Permission::public());
    q.filters.kinds = vec!["outcome".into()];
    let r = index.search(&q).unwrap();
    assert!(r.items.iter().all(|h| h.kind == "outcome"));
    assert_eq!(r.facets.kind.keys().collect::<Vec<_>>(), vec!["outcome"]);

    q.filters = Filters {
        years: vec![2023],
        industries: vec!["electronics".into(), "machinery".into()],
        ..Filters::default()
    };
    assert_eq!(
        index
            .search(&q)
            .unwrap()
            .items
            .iter()
            .map(|h| h.id)
            .collect::<Vec<_>>(),
        vec![6]
    );

    q.filters = Filters {
        regions: vec!["shanghai".into()],
        statuses: vec!["open".into()],
        ..Filters::default()
    };
    assert_eq!(
        index
            .search(&q)
            .unwrap()
            .items
            .iter()
            .map(|h| h.id)
            .collect::<Vec<_>>(),
        vec![1]
    );
}

#[test]
fn pages_follow_the_cursor_without_repeats() {
    let (_dir, index) = loaded_index();
    let mut q = Query::new("检测", Permission::read_all());
    q.limit = 2;
    let mut seen = Vec::new();
    let total = loop {
        let r = index.search(&q).unwrap();
        seen.extend(r.items.iter().map(|h| h.id));
        match r.next_cursor {
            Some(c) => q.cursor = Some(c),
            None => break r.total,
        }
    };
    assert_eq!(seen.len() as u64, total);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len());
}

#[test]
fn snippets_mark_hits_and_escape_everything_else() {
    let (_dir, index) = empty_index();
    let title_only = Document::new(
        kinds::CHALLENGE,
        1,
        "<script>alert('焊缝')</script>检测",
        "正文没有要找的词 <b>粗体</b>",
    );
    let in_body = Document::new(
        kinds::CHALLENGE,
        2,
        "普通标题",
        "焊缝 <img src=x onerror=alert(1)> & \"引号\"",
    );
    index.upsert(&title_only).unwrap();
    index.upsert(&in_body).unwrap();
    index.commit(None).unwrap();
    let r = index
        .search(&Query::new("焊缝", Permission::public()))
        .unwrap();
    let snippet = |id| r.items.iter().find(|h| h.id == id).unwrap().snippet.clone();
    assert_eq!(
        snippet(1),
        "&lt;script&gt;alert(&#39;<em>焊缝</em>&#39;)&lt;/script&gt;检测"
    );
    let body = snippet(2);
    assert!(body.starts_with("<em>焊缝</em>"), "{body}");
    assert!(
        body.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;引号"),
        "{body}"
    );
    assert!(!body.contains("<img"), "{body}");
    // The title is plain text for the caller to escape; only the snippet is HTML.
    assert!(r.items.iter().any(|h| h.title.starts_with("<script>")));
}

#[test]
fn bad_input_is_a_query_error_never_a_panic() {
    let (_dir, index) = loaded_index();
    let p = Permission::public;
    let long = "焊缝".repeat(5_000);
    assert_eq!(
        query_error(&index, &Query::new(long, p())),
        QueryError::TooLong { max: 200 }
    );
    assert_eq!(
        query_error(&index, &Query::new("\"\"\"", p())),
        QueryError::UnbalancedQuotes
    );
    assert_eq!(
        query_error(&index, &Query::new("***", p())),
        QueryError::NoTerms
    );
    assert_eq!(
        query_error(&index, &Query::new(":", p())),
        QueryError::NoTerms
    );
    assert_eq!(
        query_error(&index, &Query::new("的 和", p())),
        QueryError::NoTerms
    );
    let mut filtered = Query::new("焊缝", p());
    filtered.filters.years = (1900..2000).collect();
    assert_eq!(
        query_error(&index, &filtered),
        QueryError::TooManyFilterValues { max: 64 }
    );
    let many = (0..20)
        .map(|i| format!("词{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(
        query_error(&index, &Query::new(many, p())),
        QueryError::TooManyTerms { max: 16 }
    );
    let mut deep = Query::new("焊缝", p());
    deep.cursor = Some("5000".into());
    assert_eq!(
        query_error(&index, &deep),
        QueryError::PageTooDeep { max: 1000 }
    );
    deep.cursor = Some("下一页".into());
    assert_eq!(query_error(&index, &deep), QueryError::BadCursor);
    let mut huge = Query::new("焊缝", p());
    huge.limit = 1_000_000;
    assert_eq!(
        query_error(&index, &huge),
        QueryError::BadLimit { max: 100 }
    );

    // Another engine's syntax is plain words here: searched, not interpreted.
    assert_eq!(
        index.search(&Query::new("AND OR NOT", p())).unwrap().total,
        0
    );
    for nasty in [
        "title:焊缝",
        "*:*",
        "焊缝~2",
        "焊缝^10",
        "(焊缝",
        "焊缝 AND",
        "\\",
        "\u{0}",
        "\u{202e}焊缝",
        "🔥🔥",
        "焊缝\u{fe0f}",
        "[1 TO 2]",
        "-焊缝",
        "+焊缝",
        "'焊缝'",
        "“”焊缝",
        "／／",
        "　",
    ] {
        match index.search(&Query::new(nasty, p())) {
            Ok(_) | Err(SearchError::Query(_)) => {}
            Err(e) => panic!("{nasty:?} failed with {e}"),
        }
    }
}

#[test]
fn upsert_replaces_the_document_with_the_same_key() {
    let (_dir, index) = loaded_index();
    let mut changed = corpus().remove(0);
    changed.title = "主轴振动分析".into();
    changed.body = "主轴振动超标的原因分析。".into();
    index.upsert(&changed).unwrap();
    // Invisible until committed.
    assert_eq!(ids(&index, "振动", Permission::public()), Vec::<i64>::new());
    index.commit(Some(43)).unwrap();
    assert_eq!(ids(&index, "振动", Permission::public()), vec![1]);
    assert!(!ids(&index, "焊缝", Permission::public()).contains(&1));
    let spindle = ids(&index, "主轴", Permission::public());
    assert_eq!(spindle.iter().filter(|&&id| id == 1).count(), 1);
    assert_eq!(index.num_docs(), corpus().len() as u64);
}

#[test]
fn delete_removes_the_document() {
    let (_dir, index) = loaded_index();
    index.delete(&DocKey::new(kinds::CHALLENGE, 4)).unwrap();
    index.commit(Some(44)).unwrap();
    assert_eq!(ids(&index, "PLC", Permission::public()), Vec::<i64>::new());
    // A key of another kind with the same id is untouched.
    index.delete(&DocKey::new(kinds::OUTCOME, 1)).unwrap();
    index.commit(None).unwrap();
    assert!(ids(&index, "焊缝", Permission::public()).contains(&1));
}

#[test]
fn documents_with_a_bad_kind_are_refused() {
    let (_dir, index) = empty_index();
    let bad = Document::new("Challenge!", 1, "焊缝", "焊缝");
    assert!(matches!(index.upsert(&bad), Err(SearchError::Invalid(_))));
}

#[test]
fn similar_finds_existing_challenges_and_outcomes_like_a_draft() {
    let (_dir, index) = loaded_index();
    let draft = "船体焊缝探伤效率低，想用超声相控阵实现自动化检测";
    let kinds = [kinds::CHALLENGE, kinds::OUTCOME];
    let items = index
        .similar(draft, &kinds, 5, &Permission::public())
        .unwrap();
    let found: Vec<i64> = items.iter().map(|i| i.id).collect();
    assert!(
        found[..2].contains(&1) && found[..2].contains(&2),
        "{items:?}"
    );
    assert!(
        items
            .iter()
            .all(|i| i.kind != "studio" && i.id != 7 && i.id != 8)
    );
    assert_eq!(items[0].studio_id, Some(100 + items[0].id));

    let members = index
        .similar(draft, &kinds, 10, &Permission::member_of([1]))
        .unwrap();
    assert!(members.iter().any(|i| i.id == 7));
    assert!(
        index
            .similar("！！！", &kinds, 5, &Permission::public())
            .unwrap()
            .is_empty()
    );
    let long = "焊缝".repeat(50_000);
    assert!(
        !index
            .similar(&long, &[], 5, &Permission::public())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn closeness_tells_a_near_duplicate_from_a_draft_sharing_one_word() {
    let (_dir, index) = loaded_index();
    let kinds = [kinds::CHALLENGE, kinds::OUTCOME];
    let close = index
        .similar(
            "船体焊缝探伤效率低，想用超声相控阵自动化检测",
            &kinds,
            5,
            &Permission::public(),
        )
        .unwrap();
    assert!(close[0].closeness >= CLOSE_ENOUGH, "{close:?}");
    assert!(close.iter().all(|i| (0.0..=1.0).contains(&i.closeness)));
    // A canteen queue shares one word with the welding documents: found, but not close.
    let far = index
        .similar(
            "职工食堂午餐排队时间过长，焊缝",
            &kinds,
            5,
            &Permission::public(),
        )
        .unwrap();
    assert!(!far.is_empty());
    assert!(far.iter().all(|i| i.closeness < CLOSE_ENOUGH), "{far:?}");
}

#[test]
fn studios_are_found_by_their_profile() {
    let (_dir, index) = loaded_index();
    let mut q = Query::new("焊接 工作室", Permission::public());
    q.filters.kinds = vec![kinds::STUDIO.into()];
    let r = index.search(&q).unwrap();
    assert_eq!(r.items.iter().map(|h| h.id).collect::<Vec<_>>(), vec![9]);
}
