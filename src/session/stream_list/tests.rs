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

fn shown(list: &StreamList) -> Vec<&str> {
    list.visible()
        .iter()
        .map(|&i| list.row(i).map_or("?", |s| s.id.as_str()))
        .collect()
}

#[test]
fn the_first_page_shows_until_the_listing_passes_it() {
    let mut list = StreamList::default();
    assert!(!list.shown());
    list.set_page(vec![summary("a1", 1), summary("a2", 2), summary("a3", 3)]);
    assert_eq!(list.listing(), Listing::Filling);
    assert_eq!(shown(&list), ["a1", "a2", "a3"]);
    assert_eq!(list.all(), None);
    list.extend(vec![summary("a1", 1), summary("a2", 2)], false);
    assert_eq!(shown(&list), ["a1", "a2", "a3"]);
    assert_eq!(list.listed_count(), 2);
    list.extend(vec![summary("a3", 3), summary("b1", 4)], true);
    assert_eq!(shown(&list), ["a1", "a2", "a3", "b1"]);
    assert_eq!(list.all().map(<[_]>::len), Some(4));
}

#[test]
fn prefix_matches_show_ahead_of_the_listing_with_contains_matches_among_the_loaded() {
    let mut list = StreamList::default();
    list.set_page(vec![summary("a1", 1)]);
    list.extend(vec![summary("a1", 1), summary("ab2", 1)], false);
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
    list.extend(vec![summary("b7", 1), summary("b9", 1)], true);
    assert_eq!(shown(&list), ["b9"]);
    assert_eq!(list.prefix_matches(), None);
}

#[test]
fn sorting_while_filling_sorts_what_is_loaded_and_keeps_sorting_as_it_fills() {
    let mut list = StreamList::default();
    list.set_page(vec![summary("a", 5), summary("b", 9)]);
    list.sort_by(StreamSort::Events);
    assert_eq!(shown(&list), ["b", "a"]);
    list.extend(vec![summary("a", 5)], false);
    list.extend(vec![summary("b", 9), summary("c", 7)], true);
    assert_eq!(shown(&list), ["b", "c", "a"]);
}

#[test]
fn a_stream_appearing_while_filling_stays_ahead_until_listed() {
    let mut list = StreamList::default();
    list.set_page(vec![summary("a", 1)]);
    list.update(vec![summary("z", 1)]);
    assert_eq!(shown(&list), ["a", "z"]);
    assert_eq!(list.get("z").map(|s| s.events), Some(1));
    // The listing's own read, begun before, does not have it: it is kept.
    list.extend(vec![summary("a", 1)], true);
    assert_eq!(shown(&list), ["a", "z"]);
    assert_eq!(list.all().map(<[_]>::len), Some(2));
}
