//! The interactive loop: terminal set-up and guaranteed restore, input, fetch events and the
//! clock fed to `update`, and a redraw only when something changed.

use crate::action::{Action, Request};
use crate::app::App;
use crossterm::event::{Event, EventStream, KeyEventKind};
use crossterm::terminal::{disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use futures::StreamExt;
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use silo_core::actions::Actions;
use silo_core::store::FetchEvent;
use silo_engine::Fetcher;
use std::io::{stdout, Stdout, Write};
use std::sync::Once;
use std::time::Duration;
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc::UnboundedReceiver;

/// Puts the terminal in raw mode on the alternate screen and restores it when dropped, on panic
/// (through the panic hook) and therefore on every exit path.
pub struct TerminalGuard {
    pub terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl TerminalGuard {
    pub fn enter() -> std::io::Result<TerminalGuard> {
        install_panic_hook();
        enable_raw_mode()?;
        execute!(stdout(), EnterAlternateScreen, cursor::Hide, crossterm::event::EnableMouseCapture)?;
        let terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
        Ok(TerminalGuard { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

pub fn restore_terminal() {
    let _ = disable_raw_mode();
    let _ = execute!(stdout(), crossterm::event::DisableMouseCapture, LeaveAlternateScreen, cursor::Show);
}

/// A panic on the thread that draws restores the terminal before the message is printed. A panic
/// in a background task is that task's error (the limiter turns it into one): it goes to the log,
/// and the screen, still drawn, is left alone.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let ui = std::thread::current().id();
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().id() == ui {
                restore_terminal();
                previous(info);
            } else {
                tracing::error!("a background task panicked: {info}");
            }
        }));
    });
}

/// The actions started from the screen whose tasks may still run.
pub type ActionTasks = Vec<tokio::task::JoinHandle<()>>;

/// The screen's loop. Actions outlive it: when the terminal dies (an SSH drop: a draw or a read
/// fails) or the screen panics, the call in progress finishes, nothing more starts (journaled
/// `aborted`), what became of each is said on stderr and in the log, and silo exits non-zero.
pub async fn run(
    app: App,
    fetcher: Fetcher,
    actions: Actions,
    mut events: UnboundedReceiver<FetchEvent>,
) -> anyhow::Result<()> {
    let mut tasks = ActionTasks::new();
    let screen = ui_loop(app, &fetcher, &actions, &mut events, &mut tasks);
    let ended = futures::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(screen)).await;
    let why = match ended {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(e)) => format!("the terminal failed ({e})"),
        Err(panic) => format!("the screen panicked ({})", silo_core::error::panic_text(panic.as_ref())),
    };
    restore_terminal();
    outlive(&actions, tasks, &mut events, &why).await
}

/// Waits for the actions in flight after the screen is gone; nothing new starts. Their ends are
/// written to stderr (a failed write is ignored: the terminal may be dead) and to the log.
pub async fn outlive(
    actions: &Actions,
    tasks: ActionTasks,
    events: &mut UnboundedReceiver<FetchEvent>,
    why: &str,
) -> anyhow::Result<()> {
    actions.abort_pending();
    let running = tasks.iter().filter(|t| !t.is_finished()).count();
    say(&format!("silo: {why}; waiting for {running} action(s) in flight to finish (nothing new starts)"));
    for task in tasks {
        let _ = task.await;
    }
    while let Ok(event) = events.try_recv() {
        if let Some(line) = action_end(&event) {
            say(&line);
        }
    }
    anyhow::bail!("{why}; the actions in flight finished and the rest was journaled `aborted` (see `silo audit`)")
}

/// What an action's end event says, for stderr.
fn action_end(event: &FetchEvent) -> Option<String> {
    match event {
        FetchEvent::ActionFinished { message, ok, .. } => {
            Some(format!("silo: {} {message}", if *ok { "done:" } else { "failed:" }))
        }
        FetchEvent::SequenceFinished { results, .. } => {
            let steps: Vec<String> = results.iter().map(|s| format!("{} {}", s.tenant, s.outcome.label())).collect();
            Some(format!("silo: fleet rollback: {}", steps.join(", ")))
        }
        _ => None,
    }
}

/// One line to stderr and the log; a dead terminal's write error is ignored, never a panic.
fn say(line: &str) {
    tracing::warn!("{line}");
    let _ = writeln!(std::io::stderr(), "{line}");
}

async fn ui_loop(
    mut app: App,
    fetcher: &Fetcher,
    actions: &Actions,
    events: &mut UnboundedReceiver<FetchEvent>,
    tasks: &mut ActionTasks,
) -> anyhow::Result<()> {
    let mut guard = TerminalGuard::enter()?;
    let mut input = EventStream::new();
    let mut clock = tokio::time::interval(Duration::from_secs(1));
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let mut sigint = signal(SignalKind::interrupt())?;
    app.request_refresh(false);
    if !app.offline {
        app.outbox.push(Request::Identity);
    }
    loop {
        for request in app.take_requests() {
            if let Request::ExternalEdit(sql, parameters) = request {
                let (text, error) = match edit_externally(&mut guard, &sql) {
                    Ok(text) => (text, None),
                    Err(e) => (sql, Some(e)),
                };
                dispatch(&mut app, Some(Action::EditedExternally(text, error, parameters)));
                continue;
            }
            carry_out(fetcher, actions, &app, request, tasks);
        }
        if app.dirty {
            guard.terminal.draw(|frame| crate::frame::render(frame, &app))?;
            app.dirty = false;
        }
        if app.should_quit {
            break;
        }
        let action = tokio::select! {
            Some(event) = input.next() => match event? {
                Event::Key(key) if key.kind != KeyEventKind::Release => Some(Action::Key(key)),
                Event::Resize(_, _) => Some(Action::Resize),
                Event::Mouse(mouse) => mouse_action(mouse),
                _ => None,
            },
            Some(event) = events.recv() => Some(Action::Fetch(event)),
            _ = clock.tick() => Some(Action::Tick(chrono::Utc::now())),
            // A signal lets the call in progress finish and journal, and starts nothing more.
            _ = sigterm.recv() => Some(Action::QuitWhenDone { abort: true }),
            _ = sighup.recv() => Some(Action::QuitWhenDone { abort: true }),
            _ = sigint.recv() => Some(Action::QuitWhenDone { abort: true }),
        };
        dispatch(&mut app, action);
        // Apply every fetch result already waiting before drawing once for all of them.
        while let Ok(event) = events.try_recv() {
            dispatch(&mut app, Some(Action::Fetch(event)));
        }
    }
    Ok(())
}

/// Hands `request` to the engine; an action's task is kept in `tasks` (see `outlive`).
fn carry_out(fetcher: &Fetcher, actions: &Actions, app: &App, request: Request, tasks: &mut ActionTasks) {
    tasks.retain(|t| !t.is_finished());
    match request {
        Request::Execute(plan) => tasks.push(fetcher.spawn_action(actions.clone(), *plan)),
        Request::AbortActions => actions.abort_pending(),
        Request::ScanLimit => drop(fetcher.spawn_scan_limit()),
        Request::Timeline { account_id, alarm, hours } => timeline(fetcher, app, &account_id, alarm, hours),
        Request::ExecuteSequence(plans) => tasks.push(fetcher.spawn_sequence(actions.clone(), plans)),
        Request::DeployStatus(tenants) => drop(fetcher.spawn_deploy_status(tenants)),
        Request::Scheduled(tenants) => drop(fetcher.spawn_scheduled(tenants, app.session.journal_path.clone())),
        Request::Details(tenant) => drop(fetcher.spawn_details(tenant)),
        Request::Read(key) => read(fetcher, app, key),
        Request::RunQuery(run, request) => drop(fetcher.spawn_query(run, request)),
        Request::RunStatement(run, plan) => tasks.push(fetcher.spawn_statement(actions.clone(), run, *plan)),
        Request::QueryPage { run, execution_id, token } => {
            drop(fetcher.spawn_query_page(run, execution_id, Some(token)))
        }
        Request::StopQuery(run, id) => {
            drop(fetcher.spawn_query_stop(actions.clone(), app.session.athena.clone(), run, id))
        }
        Request::Export { run, json } => {
            if let Some(r) = app.store.queries.get(&run) {
                drop(fetcher.spawn_export(r.clone(), json, export_path(r, json, chrono::Utc::now())));
            }
        }
        Request::Identity => drop(fetcher.spawn_identity()),
        // Carried out by the loop itself: it suspends the screen.
        Request::ExternalEdit(..) => {}
        Request::OpenUrl(opener, url) => open_url(&opener, &url),
        Request::Copy(text) => copy(&text),
        Request::Dashboard(account_id, range, end) => {
            if let Some(record) = app.store.tenants.get(&account_id) {
                drop(fetcher.spawn_dashboard(record.tenant.clone(), range, end));
            }
        }
        Request::LoadAudit => drop(fetcher.spawn_audit_load(app.session.journal_path.clone())),
        Request::SaveSnapshot => save_snapshot(app),
        Request::Refresh { force } => drop(fetcher.spawn_refresh(force)),
        Request::CostExplorer(accounts) => drop(fetcher.spawn_cost_explorer(accounts)),
    }
}

/// An on-demand read, with its tenant when it is of one (a tenant gone since is not read).
fn read(fetcher: &Fetcher, app: &App, key: silo_core::reads::ReadKey) {
    let tenant = match &key.account_id {
        None => None,
        Some(account) => match app.store.tenants.get(account) {
            Some(record) => Some(record.tenant.clone()),
            None => return,
        },
    };
    // An organization's read may fan out over the fleet (`:compare`): it gets the tenants.
    let fleet = match key.account_id {
        None => app.store.tenants.values().map(|r| r.tenant.clone()).collect(),
        Some(_) => Vec::new(),
    };
    drop(fetcher.spawn_read(key, tenant, fleet));
}

/// A tenant's timeline over the last `hours`, around an alarm's last firing.
fn timeline(fetcher: &Fetcher, app: &App, account_id: &str, alarm: Option<String>, hours: i64) {
    let Some(record) = app.store.tenants.get(account_id) else { return };
    let to = chrono::Utc::now();
    let request = silo_engine::timeline::TimelineRequest {
        tenant: record.tenant.clone(),
        from: to - chrono::Duration::hours(hours),
        to,
        around_alarm: alarm,
        suspect_window: app.session.suspect_window,
        journal: app.session.journal_path.clone(),
    };
    drop(fetcher.spawn_timeline(request));
}

/// Runs the configured opener on a console link, detached from the terminal.
fn open_url(opener: &str, url: &str) {
    use std::process::Stdio;
    let spawned = std::process::Command::new(opener)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        tracing::warn!("cannot run the opener {opener}: {e}");
    }
}

/// OSC 52: the terminal (also over SSH) puts the text on the clipboard.
fn copy(text: &str) {
    let mut out = std::io::stdout();
    let _ = out.write_all(silo_core::queries::export::osc52(text).as_bytes()).and_then(|_| out.flush());
}

/// Keeps the fleet just refreshed on disk, off the render loop.
fn save_snapshot(app: &App) {
    let snapshot = silo_core::snapshot::of(&app.store, chrono::Utc::now());
    let path = app.session.snapshot_path.clone();
    drop(tokio::task::spawn_blocking(move || {
        if let Err(e) = silo_core::snapshot::save(&path, &snapshot) {
            tracing::warn!("cannot save the fleet snapshot {}: {e}", path.display());
        }
    }));
}

/// Leaves the screen, runs `$VISUAL` or `$EDITOR` on the SQL in a temporary file, comes back:
/// the edited text, or why there is none.
fn edit_externally(guard: &mut TerminalGuard, sql: &str) -> Result<String, String> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .map_err(|_| "set $EDITOR (or $VISUAL) to edit SQL in your editor".to_string())?;
    // A fresh, unpredictable file only the user can read (0600), removed when dropped.
    let file = tempfile::Builder::new()
        .prefix("silo-query-")
        .suffix(".sql")
        .tempfile()
        .map_err(|e| format!("cannot create a temporary file: {e}"))?;
    let path = file.path().to_path_buf();
    std::fs::write(&path, sql).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    restore_terminal();
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or("vi");
    let status = std::process::Command::new(program).args(words).arg(&path).status();
    let clear = crossterm::terminal::Clear(crossterm::terminal::ClearType::All);
    let back = enable_raw_mode()
        .and_then(|_| {
            execute!(stdout(), EnterAlternateScreen, clear, cursor::Hide, crossterm::event::EnableMouseCapture)
        })
        // A fresh Terminal has empty buffers, so the next frame is drawn whole (Terminal::clear
        // would ask the terminal for the cursor position, which the event reader may swallow).
        .and_then(|_| Terminal::new(CrosstermBackend::new(stdout())));
    guard.terminal = back.map_err(|e| format!("cannot restore the screen: {e}"))?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()));
    match status {
        Ok(s) if s.success() => text,
        Ok(s) => Err(format!("{editor} ended with {s}; the SQL is unchanged")),
        Err(e) => Err(format!("cannot run {editor}: {e}")),
    }
}

/// `silo-<query>-run<n>-<time>.csv` in the current directory.
fn export_path(
    run: &silo_core::queries::run::QueryRun,
    json: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> std::path::PathBuf {
    let name: String =
        run.request.name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    let extension = if json { "json" } else { "csv" };
    std::path::PathBuf::from(format!("silo-{name}-run{}-{}.{extension}", run.run, now.format("%Y%m%d-%H%M%S")))
}

/// The wheel scrolls like ↓/↑, popups first (the terminal keeps Shift+drag for selecting text).
fn mouse_action(mouse: crossterm::event::MouseEvent) -> Option<Action> {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEventKind};
    let code = match mouse.kind {
        MouseEventKind::ScrollDown => KeyCode::Down,
        MouseEventKind::ScrollUp => KeyCode::Up,
        MouseEventKind::Down(crossterm::event::MouseButton::Left) => return Some(Action::Click(mouse.row)),
        _ => return None,
    };
    Some(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn dispatch(app: &mut App, action: Option<Action>) {
    if let Some(action) = action {
        crate::app::dispatch(app, action);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use silo_core::journal::{Journal, Mode};
    use silo_core::source::FleetSource;
    use std::sync::Arc;

    /// The screen died with a fleet rollback of three tenants started: nothing more starts, the
    /// task is waited for, every tenant's entry has its end (none is left `started`), and silo
    /// says why and exits with an error.
    #[tokio::test]
    async fn when_the_screen_dies_the_actions_in_flight_end_and_the_rest_is_journaled_aborted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let journal = Journal::at(dir.path().join("audit.jsonl"));
        let demo = Arc::new(silo_demo::DemoOrg::frozen(0));
        let rails = silo_core::actions::Rails {
            read_only: false,
            offline: false,
            protected: Default::default(),
            max_plan_age: None,
        };
        let actions = Actions::new(demo.clone(), journal.clone(), rails);
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let limiter = Arc::new(silo_engine::Limiter::new(4, 2, Duration::from_secs(5)));
        let fetcher = Fetcher::new(demo.clone(), limiter, tx);
        let mut plans = Vec::new();
        for tenant in demo
            .clone()
            .list_tenants()
            .await
            .expect("tenants")
            .into_iter()
            .filter(|t| ["delta-aero", "onyx-packaging", "cobalt-mining"].contains(&t.name.as_str()))
        {
            let status = demo.clone().deploy_status(tenant).await.expect("status");
            plans.push(silo_core::plan::deploy::rollback(&status, None).expect("plan"));
        }
        let tasks = vec![fetcher.spawn_sequence(actions.clone(), plans)];
        let ended = outlive(&actions, tasks, &mut rx, "the terminal failed (EIO)").await;
        let why = ended.expect_err("silo exits with an error").to_string();
        assert!(why.contains("the terminal failed (EIO)") && why.contains("aborted"), "{why}");
        let entries = journal.read().expect("journal");
        let started = entries.iter().filter(|e| e.result == "started").count();
        let ends: Vec<&str> = entries.iter().filter(|e| e.result != "started").map(|e| e.result.as_str()).collect();
        assert_eq!(ends.len(), 3, "each tenant has its end: {ends:?}");
        assert_eq!(
            started,
            ends.iter().filter(|r| !r.starts_with("aborted")).count(),
            "no call is left started: {ends:?}"
        );
        assert!(entries.iter().any(|e| e.mode == Mode::Aborted), "nothing new starts after the screen died: {ends:?}");
    }
}
