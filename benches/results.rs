//! Query results benchmark (run with scripts/bench; numbers go to docs/performance.md): a
//! 100,000-row Athena result held in the store: memory, one frame, a scroll keystroke to frame,
//! a sort and a search keystroke to frame.

use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use silo_core::queries::run::{Column, QueryRequest, QueryState, QueryStatus, ResultPage};
use silo_core::store::FetchEvent;
use silo_tui::action::{Action, Banner};
use silo_tui::app::{dispatch, App};
use silo_tui::keymap::Keymap;
use silo_tui::theme::Theme;
use std::time::Duration;

#[path = "measure.rs"]
mod measure;
use measure::{ms, rss_mb, timed};

const ROWS: usize = 100_000;

fn main() {
    let before = rss_mb();
    let mut app = App::new(Keymap::default(), Theme::default(), Banner::default(), Duration::from_secs(60), Utc::now());
    let request = QueryRequest {
        name: "vpc-rejected-connections".into(),
        sql: "SELECT 1".into(),
        parameters: vec![],
        tenant: None,
    };
    dispatch(&mut app, Action::RunQuery(request));
    let at = Utc::now();
    dispatch(&mut app, Action::Fetch(FetchEvent::QueryStarted { run: 1, result: Ok("bench".into()), at }));
    let done = QueryStatus {
        state: QueryState::Succeeded,
        reason: None,
        data_scanned_bytes: 1 << 33,
        engine_ms: 9000,
        reused: false,
        statement_type: Some("DML".into()),
    };
    dispatch(&mut app, Action::Fetch(FetchEvent::QueryProgress { run: 1, result: Ok(done), at }));
    let columns = [
        "srcaddr:varchar",
        "dstport:integer",
        "protocol:varchar",
        "flows:bigint",
        "packets:bigint",
        "last_seen:varchar",
    ]
    .map(|c| {
        let (name, kind) = c.split_once(':').unwrap_or((c, "varchar"));
        Column { name: name.into(), kind: kind.into() }
    })
    .to_vec();
    // 100 pages of 1,000 rows, as GetQueryResults would deliver them.
    for page in 0..ROWS / 1000 {
        let rows = (page * 1000..(page + 1) * 1000)
            .map(|i| {
                vec![
                    Some(format!("203.0.{}.{}", (i / 256) % 256, i % 256)),
                    Some([22, 3389, 5432, 443][i % 4].to_string()),
                    Some("tcp".into()),
                    Some(((i * 7919) % 100_000).to_string()),
                    Some(((i * 104_729) % 1_000_000).to_string()),
                    Some(format!("2026-11-{:02}T{:02}:00:00Z", 1 + i % 28, i % 24)),
                ]
            })
            .collect();
        let token = (page + 1 < ROWS / 1000).then(|| format!("p{page}"));
        let result = Ok(ResultPage { columns: columns.clone(), rows, next_token: token });
        dispatch(&mut app, Action::Fetch(FetchEvent::QueryPage { run: 1, result, at }));
    }
    app.take_requests();
    println!("results: {ROWS} rows x 6 columns held: +{:.0} MB RSS ({:.0} MB in all)", rss_mb() - before, rss_mb());
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("backend");
    let (mean, p99) = timed(100, || {
        terminal.draw(|f| silo_tui::frame::render(f, &app)).expect("draw");
    });
    println!("results: frame with {ROWS} rows at 200x60: mean {:.2} ms, p99 {:.2} ms", ms(mean), ms(p99));
    let mut down = true;
    let (mean, p99) = timed(500, || {
        down = !down;
        press(&mut app, if down { KeyCode::PageDown } else { KeyCode::Char('j') });
        terminal.draw(|f| silo_tui::frame::render(f, &app)).expect("draw");
    });
    println!("results: scroll keystroke to frame, {ROWS} rows: mean {:.2} ms, p99 {:.2} ms", ms(mean), ms(p99));
    press(&mut app, KeyCode::Char('l'));
    press(&mut app, KeyCode::Char('l'));
    press(&mut app, KeyCode::Char('l'));
    let (mean, p99) = timed(10, || {
        press(&mut app, KeyCode::Char('S'));
        press(&mut app, KeyCode::Char('s'));
        terminal.draw(|f| silo_tui::frame::render(f, &app)).expect("draw");
    });
    println!(
        "results: sort keystroke to frame (numeric column, {ROWS} rows): mean {:.2} ms, p99 {:.2} ms",
        ms(mean),
        ms(p99)
    );
    let (mean, p99) = timed(500, || {
        press(&mut app, KeyCode::Char('j'));
        terminal.draw(|f| silo_tui::frame::render(f, &app)).expect("draw");
    });
    println!("results: scroll keystroke to frame once sorted: mean {:.2} ms, p99 {:.2} ms", ms(mean), ms(p99));
    press(&mut app, KeyCode::Char('/'));
    let mut toggle = false;
    let (mean, p99) = timed(20, || {
        toggle = !toggle;
        press(&mut app, if toggle { KeyCode::Char('9') } else { KeyCode::Backspace });
        terminal.draw(|f| silo_tui::frame::render(f, &app)).expect("draw");
    });
    println!("results: search keystroke to frame, {ROWS} rows: mean {:.2} ms, p99 {:.2} ms", ms(mean), ms(p99));
}

fn press(app: &mut App, code: KeyCode) {
    dispatch(app, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}
