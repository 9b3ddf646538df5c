//! The order a query result is shown in: filtered by the search text and sorted by a column, kept
//! in caches so that scrolling costs nothing and a new search or sort does the least work: each
//! row's lower-case text is built once per result, a column's ascending order once per column
//! (descending is that order reversed).

use silo_core::queries::run::QueryRun;
use std::cell::RefCell;
use std::rc::Rc;

/// Which rows of which run a cached value was computed for.
type Rows = (u64, usize);
/// What a shown order depends on: the rows, the sort (column, descending), the search text.
type ShownKey = (Rows, Option<(usize, bool)>, String);
/// A value and the key it was computed for.
type Cached<K, V> = RefCell<Option<(K, Rc<V>)>>;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrderCache {
    /// Each row's cells, lower-cased and joined, for the search.
    text: Cached<Rows, Vec<String>>,
    /// All rows by one column, ascending.
    sorted: Cached<(Rows, usize), Vec<usize>>,
    /// The last order shown and what it was computed from.
    shown: Cached<ShownKey, Vec<usize>>,
}

impl OrderCache {
    /// Row indexes in display order.
    pub fn order(&self, run: &QueryRun, sort: Option<(usize, bool)>, filter: &str) -> Rc<Vec<usize>> {
        let rows = (run.run, run.rows.len());
        let key = (rows, sort, filter.to_lowercase());
        if let Some((k, order)) = self.shown.borrow().as_ref() {
            if *k == key {
                return order.clone();
            }
        }
        let mut order: Vec<usize> = match sort {
            Some((col, _)) => self.sorted(run, col).to_vec(),
            None => (0..run.rows.len()).collect(),
        };
        if sort.is_some_and(|(_, descending)| descending) {
            order.reverse();
        }
        if !key.2.is_empty() {
            let text = self.text(run);
            order.retain(|i| text[*i].contains(&key.2));
        }
        let order = Rc::new(order);
        *self.shown.borrow_mut() = Some((key, order.clone()));
        order
    }

    fn text(&self, run: &QueryRun) -> Rc<Vec<String>> {
        let rows = (run.run, run.rows.len());
        if let Some((k, text)) = self.text.borrow().as_ref() {
            if *k == rows {
                return text.clone();
            }
        }
        let joined = |row: &Vec<Option<String>>| {
            row.iter().flatten().map(|c| c.to_lowercase()).collect::<Vec<_>>().join("\u{1f}")
        };
        let text = Rc::new(run.rows.iter().map(joined).collect::<Vec<_>>());
        *self.text.borrow_mut() = Some((rows, text.clone()));
        text
    }

    fn sorted(&self, run: &QueryRun, col: usize) -> Rc<Vec<usize>> {
        let key = ((run.run, run.rows.len()), col);
        if let Some((k, order)) = self.sorted.borrow().as_ref() {
            if *k == key {
                return order.clone();
            }
        }
        let order = Rc::new(ascending(run, col));
        *self.sorted.borrow_mut() = Some((key, order.clone()));
        order
    }
}

/// All rows by `col`, ascending: numbers as numbers for numeric columns, NULLs first.
fn ascending(run: &QueryRun, col: usize) -> Vec<usize> {
    let cell = |i: usize| run.rows[i].get(col).and_then(|c| c.as_deref());
    let mut order: Vec<usize> = (0..run.rows.len()).collect();
    if run.columns.get(col).is_some_and(|c| c.is_numeric()) {
        let keys: Vec<f64> =
            order.iter().map(|i| cell(*i).and_then(|c| c.parse().ok()).unwrap_or(f64::NEG_INFINITY)).collect();
        order.sort_by(|a, b| keys[*a].total_cmp(&keys[*b]));
    } else {
        order.sort_by(|a, b| cell(*a).cmp(&cell(*b)));
    }
    order
}
