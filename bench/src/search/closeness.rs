//! The similar check's cut-off (已有相似榜单): how close a draft must be to an existing document
//! before the check shows it. The records are indexed by their abstracts alone; each draft is
//! a record's title, or its authors' keywords: the same work put in other words, as a second
//! poster would write it. That record is the document the check should show; any other record
//! is one it should not. For each candidate cut-off the run prints how often the record is
//! shown and how often some other record is.

use lianmeng_search::{CLOSE_ENOUGH, Document, Permission, SearchIndex, WriterOptions, kinds};

use super::corpus::Record;

/// How many items the draft check asks for.
const SHOWN: usize = 5;
/// The cut-offs compared.
const CUTS: [f32; 8] = [0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6];
/// The shortest title taken as a draft, in characters.
const MIN_DRAFT_CHARS: usize = 10;

/// One kind of draft and what the check showed for it.
pub struct Outcome {
    pub name: &'static str,
    pub drafts: usize,
    /// Per draft: the source record's closeness (0 when not in the first items) and the best
    /// closeness of any other record.
    pub pairs: Vec<(f32, f32)>,
}

impl Outcome {
    /// For a cut-off: the share of drafts whose record is shown, and whose best other is.
    pub fn at(&self, cut: f32) -> (f64, f64) {
        let n = self.pairs.len().max(1) as f64;
        let own = self.pairs.iter().filter(|p| p.0 >= cut).count() as f64 / n;
        let other = self.pairs.iter().filter(|p| p.1 >= cut).count() as f64 / n;
        (own, other)
    }

    fn quantile(values: &mut [f32], q: f64) -> f32 {
        if values.is_empty() {
            return 0.0;
        }
        values.sort_by(f32::total_cmp);
        let i = ((values.len() - 1) as f64 * q).round() as usize;
        values[i]
    }

    /// Median and 90th percentile of the own and the best other closeness.
    pub fn spread(&self) -> [f32; 4] {
        let mut own: Vec<f32> = self.pairs.iter().map(|p| p.0).collect();
        let mut other: Vec<f32> = self.pairs.iter().map(|p| p.1).collect();
        [
            Self::quantile(&mut own, 0.5),
            Self::quantile(&mut own, 0.1),
            Self::quantile(&mut other, 0.5),
            Self::quantile(&mut other, 0.9),
        ]
    }
}

/// The record's title, when long enough to be a draft.
fn title(r: &Record) -> Option<String> {
    (r.title.chars().count() >= MIN_DRAFT_CHARS).then(|| r.title.clone())
}

/// The title and the keywords: about as many words as a short challenge's title and problem.
fn title_and_keywords(r: &Record) -> Option<String> {
    Some(format!("{}\n{}", title(r)?, keywords(r)?))
}

/// The authors' keywords as one line, when there are at least three.
fn keywords(r: &Record) -> Option<String> {
    (r.keywords.len() >= 3).then(|| r.keywords.join("，"))
}

pub fn run(records: &[Record], every: usize) -> anyhow::Result<Vec<Outcome>> {
    let dir = tempfile::tempdir()?;
    let index = SearchIndex::open(dir.path(), WriterOptions::default())?;
    for r in records {
        index.upsert(&Document::new(kinds::OUTCOME, r.id, "", &r.abstract_))?;
    }
    index.commit(None)?;
    let sample: Vec<&Record> = records.iter().step_by(every.max(1)).collect();
    let mut out = Vec::new();
    for (name, draft) in [
        ("the title", title as fn(&Record) -> Option<String>),
        ("the authors' keywords", keywords),
        ("the title and the keywords", title_and_keywords),
    ] {
        let mut pairs = Vec::new();
        for r in &sample {
            let Some(text) = draft(r) else { continue };
            let items = index.similar(&text, &[kinds::OUTCOME], SHOWN, &Permission::public())?;
            let own = items
                .iter()
                .find(|i| i.id == r.id)
                .map_or(0.0, |i| i.closeness);
            let other = items
                .iter()
                .filter(|i| i.id != r.id)
                .map(|i| i.closeness)
                .fold(0.0, f32::max);
            pairs.push((own, other));
        }
        out.push(Outcome {
            name,
            drafts: pairs.len(),
            pairs,
        });
    }
    Ok(out)
}

/// Prints the table for each kind of draft.
pub fn print(outcomes: &[Outcome], records: usize) {
    println!(
        "Similar check: drafts from {records} CSL records, the first {SHOWN} items each; the cut-off in use is {CLOSE_ENOUGH}"
    );
    for o in outcomes {
        let [own_med, own_p10, other_med, other_p90] = o.spread();
        println!();
        println!(
            "  drafts: {} ({}); closeness of the record itself median {own_med:.2}, 10th percentile {own_p10:.2}; best other record median {other_med:.2}, 90th percentile {other_p90:.2}",
            o.name, o.drafts
        );
        println!(
            "  {:>8} {:>16} {:>22}",
            "cut-off", "record shown", "another record shown"
        );
        for cut in CUTS {
            let (own, other) = o.at(cut);
            let mark = if (cut - CLOSE_ENOUGH).abs() < 1e-6 {
                "  <- in use"
            } else {
                ""
            };
            println!(
                "  {cut:>8.2} {:>15.1}% {:>21.1}%{mark}",
                own * 100.0,
                other * 100.0
            );
        }
    }
}
