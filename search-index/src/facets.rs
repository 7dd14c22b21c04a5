//! Facet counts (kind, industry, region, status, year) over every document the query matches,
//! read from fast fields: per segment by term ordinal, turned into codes once at the end.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};

use tantivy::columnar::{Cardinality, ColumnValues, StrColumn};
use tantivy::fastfield::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::schema::STRING_FACETS;

/// How many matching documents carry each facet value. Documents without a value are not
/// counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    /// Counts per kind.
    pub kind: BTreeMap<String, u64>,
    /// Counts per industry code.
    pub industry: BTreeMap<String, u64>,
    /// Counts per region code.
    pub region: BTreeMap<String, u64>,
    /// Counts per status code.
    pub status: BTreeMap<String, u64>,
    /// Counts per year.
    pub year: BTreeMap<i64, u64>,
}

impl Facets {
    fn string_facet(&mut self, i: usize) -> &mut BTreeMap<String, u64> {
        match i {
            0 => &mut self.kind,
            1 => &mut self.industry,
            2 => &mut self.region,
            _ => &mut self.status,
        }
    }

    fn add(&mut self, other: Facets) {
        let Facets {
            kind,
            industry,
            region,
            status,
            year,
        } = other;
        for (i, theirs) in [kind, industry, region, status].into_iter().enumerate() {
            let mine = self.string_facet(i);
            for (k, v) in theirs {
                *mine.entry(k).or_default() += v;
            }
        }
        for (k, v) in year {
            *self.year.entry(k).or_default() += v;
        }
    }
}

/// Collects [`Facets`] for the matching documents.
pub(crate) struct FacetCollector;

/// Documents are counted in batches: one call per column per batch instead of one per
/// document and column (a query can match half the index).
const BATCH: usize = 128;

pub(crate) struct SegmentFacets {
    batch: Vec<DocId>,
    strings: Vec<StringFacet>,
    years: Option<YearFacet>,
}

struct StringFacet {
    /// Which of [`STRING_FACETS`].
    slot: usize,
    column: StrColumn,
    ords: Values<u64>,
    counts: Vec<u32>,
    scratch: Vec<u64>,
}

struct YearFacet {
    values: Values<i64>,
    /// Counts per year from `min`, when the years span a small range (they always do).
    dense: Option<(i64, Vec<u32>)>,
    sparse: BTreeMap<i64, u64>,
    scratch: Vec<i64>,
}

/// A column's values, read directly when every document has exactly one (the usual case) and
/// through the column index otherwise.
enum Values<T> {
    Full(Arc<dyn ColumnValues<T>>),
    Sparse(Column<T>),
}

impl<T: PartialOrd + Copy + Default + std::fmt::Debug + Send + Sync + 'static> Values<T> {
    fn of(column: Column<T>) -> Self {
        match column.get_cardinality() {
            Cardinality::Full => Values::Full(column.values),
            _ => Values::Sparse(column),
        }
    }

    /// Calls `f` with the value of each document of `docs` that has one.
    fn for_each(&self, docs: &[DocId], scratch: &mut Vec<T>, mut f: impl FnMut(T)) {
        match self {
            Values::Full(values) => {
                scratch.resize(docs.len(), T::default());
                values.get_vals(docs, scratch);
                scratch.iter().for_each(|&v| f(v));
            }
            Values::Sparse(column) => docs.iter().filter_map(|&d| column.first(d)).for_each(f),
        }
    }
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let fast = reader.fast_fields();
        let mut strings = Vec::with_capacity(STRING_FACETS.len());
        for (slot, name) in STRING_FACETS.into_iter().enumerate() {
            if let Some(column) = fast.str(name)? {
                strings.push(StringFacet {
                    slot,
                    counts: vec![0; column.num_terms()],
                    ords: Values::of(column.ords().clone()),
                    column,
                    scratch: Vec::with_capacity(BATCH),
                });
            }
        }
        let years = fast.column_opt::<i64>("year")?.map(|column| {
            let (min, max) = (column.min_value(), column.max_value());
            let span = max.saturating_sub(min);
            YearFacet {
                dense: (0..4096)
                    .contains(&span)
                    .then(|| (min, vec![0; span as usize + 1])),
                values: Values::of(column),
                sparse: BTreeMap::new(),
                scratch: Vec::with_capacity(BATCH),
            }
        });
        Ok(SegmentFacets {
            batch: Vec::with_capacity(BATCH),
            strings,
            years,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Facets>) -> tantivy::Result<Facets> {
        let mut all = Facets::default();
        for f in fruits {
            all.add(f);
        }
        Ok(all)
    }
}

impl SegmentFacets {
    fn flush(&mut self) {
        let docs = &self.batch[..];
        for facet in &mut self.strings {
            let counts = &mut facet.counts;
            facet.ords.for_each(docs, &mut facet.scratch, |ord| {
                if let Some(n) = counts.get_mut(ord as usize) {
                    *n += 1;
                }
            });
        }
        if let Some(y) = &mut self.years {
            let (dense, sparse) = (&mut y.dense, &mut y.sparse);
            y.values.for_each(docs, &mut y.scratch, |year| match dense {
                Some((min, counts)) => counts[(year - *min) as usize] += 1,
                None => *sparse.entry(year).or_default() += 1,
            });
        }
        self.batch.clear();
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = Facets;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.batch.push(doc);
        if self.batch.len() == BATCH {
            self.flush();
        }
    }

    fn harvest(mut self) -> Facets {
        self.flush();
        let mut facets = Facets::default();
        let mut code = String::new();
        for facet in &self.strings {
            let map = facets.string_facet(facet.slot);
            for (ord, &n) in facet.counts.iter().enumerate().filter(|(_, n)| **n > 0) {
                if let Ok(true) = facet.column.ord_to_str(ord as u64, &mut code) {
                    map.insert(code.clone(), u64::from(n));
                }
            }
        }
        if let Some(y) = self.years {
            facets.year = y.sparse;
            if let Some((min, counts)) = y.dense {
                for (i, &n) in counts.iter().enumerate().filter(|(_, n)| **n > 0) {
                    facets.year.insert(min + i as i64, u64::from(n));
                }
            }
        }
        facets
    }
}
