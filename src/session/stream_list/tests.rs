//! The list as it fills: the first page, batches, prefix matches ahead of the listing, sorting and filtering
//! what is loaded.
use super::*;

fn summary(id: &str, events: u64) -> StreamSummary {
    StreamSummary {
        id: id.to_owned(),
        stream_type: Some("order".to_owned()),
        name: None,
        tenant: None,
        table: None,
        events,
        first_time: None,
        first_stored_time: None,
        last_time: None,
        last_stored_time: None,
    }
}

fn columns(summaries: Vec<StreamSummary>) -> Columns {
    summaries.into_iter().collect::<Result<_, _>>().unwrap()
}

/// The ids shown, in order (each row's id read alone agrees with its whole row).
fn shown(list: &StreamList) -> Vec<&str> {
    list.visible()
        .iter()
        .map(|&i| {
            let id = list.row(i).map_or("?", |s| s.id);
            assert_eq!(list.row_id(i), Some(id));
            id
        })
        .collect()
}

#[test]
fn the_first_page_shows_until_the_listing_passes_it() {
    let mut list = StreamList::default();
    assert!(!list.shown());
    list.set_page(vec![summary("a1", 1), summary("a2", 2), summary("a3", 3)]);
    assert_eq!(list.listing(), Listing::Filling);
    assert_eq!(shown(&list), ["a1", "a2", "a3"]);
    assert!(list.all().is_none());
    list.extend(columns(vec![summary("a1", 1), summary("a2", 2)]), false)
        .unwrap();
    assert_eq!(shown(&list), ["a1", "a2", "a3"]);
    assert_eq!(list.listed_count(), 2);
    list.extend(columns(vec![summary("a3", 3), summary("b1", 4)]), true)
        .unwrap();
    assert_eq!(shown(&list), ["a1", "a2", "a3", "b1"]);
    assert_eq!(list.all().map(|all| all.len()), Some(4));
}

#[test]
fn prefix_matches_show_ahead_of_the_listing_with_contains_matches_among_the_loaded() {
    let mut list = StreamList::default();
    list.set_page(vec![summary("a1", 1)]);
    list.extend(columns(vec![summary("a1", 1), summary("ab2", 1)]), false)
        .unwrap();
    list.set_filter("b".to_owned());
    assert_eq!(shown(&list), ["ab2"]);
    assert_eq!(list.prefix_matches(), None);
    list.set_prefix_matches(
        "b".to_owned(),
        vec![summary("b7", 1), summary("b9", 1)],
        true,
    );
    assert_eq!(shown(&list), ["ab2", "b7", "b9"]);
    assert_eq!(list.prefix_matches(), Some((2, true)));
    // An older filter's answer is dropped.
    list.set_filter("b9".to_owned());
    assert_eq!(shown(&list), Vec::<&str>::new());
    list.set_prefix_matches("b".to_owned(), vec![summary("b7", 1)], false);
    assert_eq!(shown(&list), Vec::<&str>::new());
    list.set_prefix_matches("b9".to_owned(), vec![summary("b9", 1)], false);
    assert_eq!(shown(&list), ["b9"]);
    // Once listed, a prefix match is shown once.
    list.extend(columns(vec![summary("b7", 1), summary("b9", 1)]), true)
        .unwrap();
    assert_eq!(shown(&list), ["b9"]);
    assert_eq!(list.prefix_matches(), None);
}

#[test]
fn sorting_while_filling_sorts_what_is_loaded_and_keeps_sorting_as_it_fills() {
    let mut list = StreamList::default();
    list.set_page(vec![summary("a", 5), summary("b", 9)]);
    list.sort_by(StreamSort::Events);
    assert_eq!(shown(&list), ["b", "a"]);
    list.extend(columns(vec![summary("a", 5)]), false).unwrap();
    list.extend(columns(vec![summary("b", 9), summary("c", 7)]), true)
        .unwrap();
    assert_eq!(shown(&list), ["b", "c", "a"]);
}

#[test]
fn a_stream_appearing_while_filling_stays_ahead_until_listed() {
    let mut list = StreamList::default();
    list.set_page(vec![summary("a", 1)]);
    list.update(vec![summary("z", 1)]).unwrap();
    assert_eq!(shown(&list), ["a", "z"]);
    assert_eq!(list.get("z").map(|s| s.events), Some(1));
    // The listing's own read, begun before, does not have it: it is kept.
    list.extend(columns(vec![summary("a", 1)]), true).unwrap();
    assert_eq!(shown(&list), ["a", "z"]);
    assert_eq!(list.all().map(|all| all.len()), Some(2));
}

/// Streams whose every column orders them differently.
fn mixed() -> Vec<StreamSummary> {
    let at = |s: i64| chrono::DateTime::from_timestamp(s, 0);
    vec![
        StreamSummary {
            stream_type: Some("b".to_owned()),
            last_time: at(30),
            ..summary("s1", 5)
        },
        StreamSummary {
            stream_type: None,
            last_time: at(10),
            ..summary("s2", 9)
        },
        StreamSummary {
            stream_type: Some("a".to_owned()),
            last_time: None,
            ..summary("s3", 1)
        },
        StreamSummary {
            stream_type: Some("a".to_owned()),
            last_time: at(20),
            ..summary("s4", 1)
        },
    ]
}

#[test]
fn every_column_sorts_both_ways_listed_or_ahead() {
    let want = [
        (StreamSort::Id, ["s1", "s2", "s3", "s4"]),
        // Ties in the column go by id.
        (StreamSort::Type, ["s2", "s3", "s4", "s1"]),
        (StreamSort::Events, ["s3", "s4", "s1", "s2"]),
        (StreamSort::LastActivity, ["s3", "s2", "s4", "s1"]),
    ];
    // Complete, and filling with the last two still ahead of the listing.
    let complete = |list: &mut StreamList| {
        list.set_page(mixed());
        list.extend(columns(mixed()), true).unwrap();
    };
    let filling = |list: &mut StreamList| {
        list.set_page(mixed());
        list.extend(columns(mixed()[..2].to_vec()), false).unwrap();
    };
    for fill in [&complete as &dyn Fn(&mut StreamList), &filling] {
        for (key, ascending) in want {
            let mut list = StreamList::default();
            fill(&mut list);
            list.sort_by(key);
            if list.sort() != (key, true) {
                list.sort_by(key);
            }
            assert_eq!(shown(&list), ascending, "{key:?} ascending");
            list.sort_by(key);
            assert_eq!(list.sort(), (key, false));
            let descending: Vec<&str> = ascending.iter().rev().copied().collect();
            assert_eq!(shown(&list), descending, "{key:?} descending");
        }
    }
}

#[test]
fn the_filter_ignores_case_over_listed_and_ahead_streams_ascii_or_not() {
    // In list order.
    let ids = ["STRASSE-2", "Straße-1", "odos-4", "ΟΔΟΣ-3"];
    let mut list = StreamList::default();
    list.set_page(ids.iter().map(|id| summary(id, 1)).collect());
    // The first two listed, the others ahead; then all listed.
    list.extend(columns(vec![summary(ids[0], 1), summary(ids[1], 1)]), false)
        .unwrap();
    for complete in [false, true] {
        if complete {
            list.extend(columns(vec![summary(ids[2], 1), summary(ids[3], 1)]), true)
                .unwrap();
        }
        for (filter, want) in [
            ("straße", &["Straße-1"][..]),
            ("STRASSE", &["STRASSE-2"]),
            ("οδος", &["ΟΔΟΣ-3"]),
            ("ΟΔΟΣ", &["ΟΔΟΣ-3"]),
            ("ODOS", &["odos-4"]),
            ("ORDER", &["Straße-1", "STRASSE-2", "ΟΔΟΣ-3", "odos-4"]),
            ("-", &["Straße-1", "STRASSE-2", "ΟΔΟΣ-3", "odos-4"]),
        ] {
            list.set_filter(filter.to_owned());
            let mut got = shown(&list);
            got.sort_unstable();
            let mut want = want.to_vec();
            want.sort_unstable();
            assert_eq!(got, want, "filter {filter:?}, complete {complete}");
        }
    }
}

#[test]
fn rows_read_back_whole_and_the_list_costs_bytes_not_summaries() {
    let mut list = StreamList::default();
    list.set_page(Vec::new());
    list.extend(columns(mixed()), true).unwrap();
    assert_eq!(list.all().unwrap().to_summaries(), mixed());
    assert_eq!(
        list.get("s3").map(|r| r.to_summary()),
        mixed().get(2).cloned()
    );
    assert_eq!(list.get("s9"), None);
    assert!(list.heap_bytes() < mixed().len() * std::mem::size_of::<StreamSummary>());
}
