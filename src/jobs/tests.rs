//! The job layer on its own: which answers come out (current jobs only, in order), which jobs a new one
//! stops, and what a panic turns into. Jobs wait on gates and flags, never on time; the only durations are
//! patience limits reached when something that should happen does not.

use std::sync::Mutex;
use std::sync::atomic::AtomicUsize;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use super::*;

/// Far beyond how long any answer should take; reached only when an answer is missing.
const PATIENCE: Duration = Duration::from_secs(60);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    A,
    B,
    /// Supersedes A and itself.
    Both,
}

impl JobKind for Kind {
    fn supersedes(self, older: Self) -> bool {
        match self {
            Self::Both => matches!(older, Self::A | Self::Both),
            _ => self == older,
        }
    }
}

fn quiet() -> Notify {
    Arc::new(|| {})
}

fn on_thread() -> Jobs<Kind, &'static str> {
    Jobs::on_thread("test-jobs", quiet(), || ()).unwrap()
}

/// The next answer, which must come.
fn next(jobs: &mut Jobs<Kind, &'static str>) -> Answer<Kind, &'static str> {
    jobs.recv_timeout(PATIENCE).expect("no answer came")
}

/// Wait (up to [`PATIENCE`]) until the job is cancelled.
fn until_cancelled(task: &Task<Kind, &'static str>) {
    let deadline = Instant::now() + PATIENCE;
    while !task.cancelled() {
        assert!(Instant::now() < deadline, "the job was never cancelled");
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// A gate a job waits at until the test opens it.
fn gate() -> (SyncSender<()>, Arc<Mutex<Receiver<()>>>) {
    let (open, wait) = sync_channel(1);
    (open, Arc::new(Mutex::new(wait)))
}

fn wait_at(gate: &Mutex<Receiver<()>>) {
    gate.lock().unwrap().recv_timeout(PATIENCE).unwrap();
}

#[test]
fn a_newer_job_of_a_kind_cancels_the_older_and_only_the_newer_answers() {
    let mut jobs = on_thread();
    let (started, on_start) = gate();
    let first = jobs
        .submit(Kind::A, move |(), task| {
            started.send(()).unwrap();
            until_cancelled(task);
            task.send("old");
        })
        .unwrap();
    wait_at(&on_start);
    let second = jobs.submit(Kind::A, |(), task| task.send("new")).unwrap();
    let answer = next(&mut jobs);
    assert_eq!((answer.generation, answer.message), (second, Ok("new")));
    assert!(first < second);
    assert!(jobs.try_recv().is_none());
}

#[test]
fn a_job_of_another_kind_leaves_the_running_one_alone_unless_it_supersedes_it() {
    let mut jobs = on_thread();
    let (open, wait) = gate();
    jobs.submit(Kind::A, move |(), task| {
        wait_at(&wait);
        task.send("a");
    })
    .unwrap();
    jobs.submit(Kind::B, |(), task| task.send("b")).unwrap();
    open.send(()).unwrap();
    assert_eq!(next(&mut jobs).message, Ok("a"));
    assert_eq!(next(&mut jobs).message, Ok("b"));

    let (started, on_start) = gate();
    jobs.submit(Kind::A, move |(), task| {
        started.send(()).unwrap();
        until_cancelled(task);
        task.send("stopped");
    })
    .unwrap();
    wait_at(&on_start);
    jobs.submit(Kind::Both, |(), task| task.send("both"))
        .unwrap();
    let answer = next(&mut jobs);
    assert_eq!((answer.kind, answer.message), (Kind::Both, Ok("both")));
}

#[test]
fn progress_comes_in_order_and_says_to_stop_once_cancelled() {
    let mut jobs = on_thread();
    let (reported, on_report) = gate();
    let (resume, wait) = gate();
    let went_on = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&went_on);
    jobs.submit(Kind::A, move |(), task| {
        for step in ["1 of 3", "2 of 3"] {
            log.lock().unwrap().push(task.progress(step));
        }
        reported.send(()).unwrap();
        wait_at(&wait);
        log.lock().unwrap().push(task.progress("3 of 3"));
    })
    .unwrap();
    assert_eq!(next(&mut jobs).message, Ok("1 of 3"));
    assert_eq!(next(&mut jobs).message, Ok("2 of 3"));
    assert!(jobs.running(Kind::A));
    wait_at(&on_report);
    jobs.cancel(Kind::A);
    assert!(!jobs.running(Kind::A));
    resume.send(()).unwrap();
    // The job is over when the next one (on the same thread) answers; the cancelled one's last progress
    // never came out.
    jobs.submit(Kind::B, |(), task| task.send("after")).unwrap();
    assert_eq!(next(&mut jobs).message, Ok("after"));
    assert_eq!(*went_on.lock().unwrap(), [true, true, false]);
}

#[test]
fn late_answers_of_a_superseded_job_on_its_own_thread_are_dropped() {
    let mut jobs: Jobs<Kind, &'static str> = Jobs::each_on_own_thread("test-jobs", quiet());
    let (started, on_start) = gate();
    let (release, wait) = gate();
    let (finished, on_finish) = gate();
    jobs.submit(Kind::A, move |(), task| {
        started.send(()).unwrap();
        wait_at(&wait);
        // Not watching its flag: it answers anyway, late.
        task.send("old");
        finished.send(()).unwrap();
    })
    .unwrap();
    wait_at(&on_start);
    let newer = jobs.submit(Kind::A, |(), task| task.send("new")).unwrap();
    let answer = next(&mut jobs);
    assert_eq!((answer.generation, answer.message), (newer, Ok("new")));
    release.send(()).unwrap();
    wait_at(&on_finish);
    assert!(jobs.recv_timeout(Duration::from_millis(50)).is_none());
}

#[test]
fn a_job_superseded_before_it_started_never_runs() {
    let mut jobs = on_thread();
    let (open, wait) = gate();
    jobs.submit(Kind::B, move |(), _| wait_at(&wait)).unwrap();
    let ran = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&ran);
    jobs.submit(Kind::A, move |(), _| {
        counter.fetch_add(1, Ordering::SeqCst);
    })
    .unwrap();
    jobs.submit(Kind::A, |(), task| task.send("newest"))
        .unwrap();
    open.send(()).unwrap();
    assert_eq!(next(&mut jobs).message, Ok("newest"));
    assert_eq!(ran.load(Ordering::SeqCst), 0);
}

#[test]
fn a_panicking_job_answers_an_error_and_the_thread_goes_on() {
    let mut jobs = on_thread();
    jobs.submit(Kind::A, |(), _| panic!("the sky fell"))
        .unwrap();
    let answer = next(&mut jobs);
    let Err(Panicked(message)) = answer.message else {
        panic!("{:?}", answer.message)
    };
    assert!(message.contains("the sky fell"), "{message}");
    assert!(message.contains("A job"), "{message}");
    jobs.submit(Kind::A, |(), task| task.send("still here"))
        .unwrap();
    assert_eq!(next(&mut jobs).message, Ok("still here"));
}

#[test]
fn a_job_on_its_own_thread_that_panics_answers_an_error() {
    let mut jobs: Jobs<Kind, &'static str> = Jobs::each_on_own_thread("test-jobs", quiet());
    jobs.submit(Kind::B, |(), _| panic!("{}", String::from("owned message")))
        .unwrap();
    let answer = next(&mut jobs);
    assert!(
        matches!(&answer.message, Err(Panicked(m)) if m.contains("owned message")),
        "{:?}",
        answer.message
    );
}

#[test]
fn the_thread_keeps_its_context_from_job_to_job() {
    let mut jobs: Jobs<Kind, usize, Vec<&str>> =
        Jobs::on_thread("test-jobs", quiet(), Vec::new).unwrap();
    jobs.submit(Kind::A, |seen, _| seen.push("first")).unwrap();
    jobs.submit(Kind::B, |seen, task| {
        seen.push("second");
        task.send(seen.len());
    })
    .unwrap();
    let answer = jobs.recv_timeout(PATIENCE).unwrap();
    assert_eq!(answer.message, Ok(2));
}

#[test]
fn a_finished_job_leaves_the_handle_idle_and_notifies_each_message() {
    let notified = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&notified);
    let mut jobs: Jobs<Kind, &'static str> = Jobs::on_thread(
        "test-jobs",
        Arc::new(move || {
            count.fetch_add(1, Ordering::SeqCst);
        }),
        || (),
    )
    .unwrap();
    jobs.submit(Kind::A, |(), task| task.send("done")).unwrap();
    assert!(!jobs.idle());
    assert_eq!(next(&mut jobs).message, Ok("done"));
    // The job's end follows its last message, and brings nothing more.
    let deadline = Instant::now() + PATIENCE;
    while !jobs.idle() {
        assert!(Instant::now() < deadline, "the job never ended");
        assert!(jobs.recv_timeout(Duration::from_millis(5)).is_none());
    }
    assert!(notified.load(Ordering::SeqCst) >= 1);
}

#[test]
fn dropping_the_handle_cancels_the_jobs() {
    let mut jobs = on_thread();
    let (started, on_start) = gate();
    let (stopped, on_stop) = gate();
    jobs.submit(Kind::A, move |(), task| {
        started.send(()).unwrap();
        until_cancelled(task);
        stopped.send(()).unwrap();
    })
    .unwrap();
    wait_at(&on_start);
    drop(jobs);
    wait_at(&on_stop);
}
