//! The bank scenario both cqrs-es sample generators run: the `BankAccount` and `Customer` aggregates, a fake
//! clock, and the commands, in order. `sample-data/cqrs-es/generator` writes it to SQLite through sqlite-es,
//! `sample-data/postgres/cqrs-es/generator` (which includes this file by `#[path]`) to PostgreSQL through
//! postgres-es, so the two stores hold the same events.

use std::collections::HashMap;

use chrono::{DateTime, Duration, SecondsFormat, TimeZone, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, CqrsFramework, DomainEvent, EventEnvelope, EventStore, View};
use serde::{Deserialize, Serialize};

// ------------------------------------------------------- BankAccount domain
// Events use serde's default, externally tagged enum representation:
//   {"CustomerDepositedMoney":{"amount":..,"balance":..}}, a newtype variant
//   {"MonthlyFeeCharged":2.5} and a unit variant as a bare "AccountFrozen".

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum BankAccountEvent {
    AccountOpened { account_id: String },
    CustomerDepositedMoney { amount: f64, balance: f64 },
    CustomerWithdrewCash { amount: f64, balance: f64 },
    CustomerWroteCheck { check_number: String, amount: f64, balance: f64 },
    MonthlyFeeCharged(f64),
    AccountFrozen,
    AccountUnfrozen,
}

impl DomainEvent for BankAccountEvent {
    fn event_type(&self) -> String {
        match self {
            Self::AccountOpened { .. } => "AccountOpened",
            Self::CustomerDepositedMoney { .. } => "CustomerDepositedMoney",
            Self::CustomerWithdrewCash { .. } => "CustomerWithdrewCash",
            Self::CustomerWroteCheck { .. } => "CustomerWroteCheck",
            Self::MonthlyFeeCharged(_) => "MonthlyFeeCharged",
            Self::AccountFrozen => "AccountFrozen",
            Self::AccountUnfrozen => "AccountUnfrozen",
        }
        .to_string()
    }
    fn event_version(&self) -> String {
        "1.0".to_string()
    }
}

#[derive(Debug, Clone)]
pub enum BankAccountCommand {
    OpenAccount { account_id: String, initial_deposit: f64 },
    DepositMoney { amount: f64 },
    WithdrawMoney { amount: f64 },
    WriteCheck { check_number: String, amount: f64 },
    ChargeMonthlyFee { fee: f64 },
    Unfreeze,
}

#[derive(Debug)]
pub struct BankAccountError(String);

/// `Display` + `std::error::Error` for the two error newtypes.
macro_rules! impl_error {
    ($t:ty) => {
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl std::error::Error for $t {}
    };
}
impl_error!(BankAccountError);
impl_error!(CustomerError);

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct BankAccount {
    opened: bool,
    account_id: String,
    balance: f64,
    frozen: bool,
    /// Incremented on every money movement. Not idempotent on purpose: it
    /// makes an event that is applied twice visible in a snapshot.
    transactions: u32,
}

impl Aggregate for BankAccount {
    const TYPE: &'static str = "BankAccount";
    type Command = BankAccountCommand;
    type Event = BankAccountEvent;
    type Error = BankAccountError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let err = |m: &str| Err(BankAccountError(m.to_string()));
        match command {
            BankAccountCommand::OpenAccount { account_id, initial_deposit } => {
                if self.opened {
                    return err("account already opened");
                }
                sink.write(BankAccountEvent::AccountOpened { account_id }, self).await;
                if initial_deposit > 0.0 {
                    let balance = round2(self.balance + initial_deposit);
                    sink.write(
                        BankAccountEvent::CustomerDepositedMoney { amount: initial_deposit, balance },
                        self,
                    )
                    .await;
                }
            }
            BankAccountCommand::DepositMoney { amount } => {
                if !self.opened {
                    return err("account not opened");
                }
                let balance = round2(self.balance + amount);
                sink.write(BankAccountEvent::CustomerDepositedMoney { amount, balance }, self).await;
            }
            BankAccountCommand::WithdrawMoney { amount } => {
                if self.frozen {
                    return err("account frozen");
                }
                let balance = round2(self.balance - amount);
                sink.write(BankAccountEvent::CustomerWithdrewCash { amount, balance }, self).await;
                if balance < 0.0 {
                    // one command, two events
                    sink.write(BankAccountEvent::AccountFrozen, self).await;
                }
            }
            BankAccountCommand::WriteCheck { check_number, amount } => {
                if self.frozen {
                    return err("account frozen");
                }
                let balance = round2(self.balance - amount);
                sink.write(
                    BankAccountEvent::CustomerWroteCheck { check_number, amount, balance },
                    self,
                )
                .await;
                if balance < 0.0 {
                    sink.write(BankAccountEvent::AccountFrozen, self).await;
                }
            }
            BankAccountCommand::ChargeMonthlyFee { fee } => {
                sink.write(BankAccountEvent::MonthlyFeeCharged(fee), self).await;
            }
            BankAccountCommand::Unfreeze => {
                if !self.frozen {
                    return err("account not frozen");
                }
                sink.write(BankAccountEvent::AccountUnfrozen, self).await;
            }
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            BankAccountEvent::AccountOpened { account_id } => {
                self.opened = true;
                self.account_id = account_id;
            }
            BankAccountEvent::CustomerDepositedMoney { balance, .. }
            | BankAccountEvent::CustomerWithdrewCash { balance, .. }
            | BankAccountEvent::CustomerWroteCheck { balance, .. } => {
                self.balance = balance;
                self.transactions += 1;
            }
            BankAccountEvent::MonthlyFeeCharged(fee) => {
                self.balance = round2(self.balance - fee);
                self.transactions += 1;
            }
            BankAccountEvent::AccountFrozen => self.frozen = true,
            BankAccountEvent::AccountUnfrozen => self.frozen = false,
        }
    }
}

/// Read model kept by `GenericQuery` + `SqliteViewRepository`.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct BankAccountView {
    account_id: Option<String>,
    balance: f64,
    ledger: Vec<LedgerEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct LedgerEntry {
    sequence: usize,
    description: String,
    amount: f64,
}

impl View<BankAccount> for BankAccountView {
    fn update(&mut self, event: &EventEnvelope<BankAccount>) {
        let (description, amount) = match &event.payload {
            BankAccountEvent::AccountOpened { account_id } => {
                self.account_id = Some(account_id.clone());
                return;
            }
            BankAccountEvent::CustomerDepositedMoney { amount, balance } => {
                self.balance = *balance;
                ("deposit".to_string(), *amount)
            }
            BankAccountEvent::CustomerWithdrewCash { amount, balance } => {
                self.balance = *balance;
                ("cash withdrawal".to_string(), -*amount)
            }
            BankAccountEvent::CustomerWroteCheck { check_number, amount, balance } => {
                self.balance = *balance;
                (format!("check {check_number}"), -*amount)
            }
            BankAccountEvent::MonthlyFeeCharged(fee) => {
                self.balance = round2(self.balance - fee);
                ("monthly fee".to_string(), -*fee)
            }
            BankAccountEvent::AccountFrozen | BankAccountEvent::AccountUnfrozen => return,
        };
        self.ledger.push(LedgerEntry { sequence: event.sequence, description, amount });
    }
}

// ---------------------------------------------------------- Customer domain
// Events use serde's adjacently tagged representation:
//   {"type":"EmailChanged","data":{...}}; a unit variant is {"type":"CustomerVerified"}.

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum CustomerEvent {
    CustomerRegistered { customer_id: String, name: String, email: String },
    EmailChanged { old_email: String, new_email: String },
    AddressChanged { address: Address },
    AccountLinked { account_id: String },
    CustomerVerified,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Address {
    street: String,
    city: String,
    country: String,
}

impl DomainEvent for CustomerEvent {
    fn event_type(&self) -> String {
        match self {
            Self::CustomerRegistered { .. } => "CustomerRegistered",
            Self::EmailChanged { .. } => "EmailChanged",
            Self::AddressChanged { .. } => "AddressChanged",
            Self::AccountLinked { .. } => "AccountLinked",
            Self::CustomerVerified => "CustomerVerified",
        }
        .to_string()
    }
    fn event_version(&self) -> String {
        match self {
            // pretend the address event was reshaped once
            Self::AddressChanged { .. } => "2.0",
            _ => "1.0",
        }
        .to_string()
    }
}

#[derive(Debug, Clone)]
pub enum CustomerCommand {
    Register { customer_id: String, name: String, email: String },
    ChangeEmail { email: String },
    ChangeAddress { street: String, city: String, country: String },
    LinkAccount { account_id: String },
    Verify,
}

#[derive(Debug)]
pub struct CustomerError(String);

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Customer {
    customer_id: String,
    name: String,
    email: String,
    address: Option<Address>,
    verified: bool,
    linked_accounts: Vec<String>,
}

impl Aggregate for Customer {
    const TYPE: &'static str = "Customer";
    type Command = CustomerCommand;
    type Event = CustomerEvent;
    type Error = CustomerError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        match command {
            CustomerCommand::Register { customer_id, name, email } => {
                if !self.customer_id.is_empty() {
                    return Err(CustomerError("already registered".into()));
                }
                sink.write(CustomerEvent::CustomerRegistered { customer_id, name, email }, self).await;
            }
            CustomerCommand::ChangeEmail { email } => {
                let old_email = self.email.clone();
                sink.write(CustomerEvent::EmailChanged { old_email, new_email: email }, self).await;
            }
            CustomerCommand::ChangeAddress { street, city, country } => {
                let address = Address { street, city, country };
                sink.write(CustomerEvent::AddressChanged { address }, self).await;
            }
            CustomerCommand::LinkAccount { account_id } => {
                sink.write(CustomerEvent::AccountLinked { account_id }, self).await;
            }
            CustomerCommand::Verify => {
                if self.verified {
                    return Err(CustomerError("already verified".into()));
                }
                sink.write(CustomerEvent::CustomerVerified, self).await;
            }
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            CustomerEvent::CustomerRegistered { customer_id, name, email } => {
                self.customer_id = customer_id;
                self.name = name;
                self.email = email;
            }
            CustomerEvent::EmailChanged { new_email, .. } => self.email = new_email,
            CustomerEvent::AddressChanged { address } => self.address = Some(address),
            // not idempotent either: a double apply shows as a duplicate id
            CustomerEvent::AccountLinked { account_id } => self.linked_accounts.push(account_id),
            CustomerEvent::CustomerVerified => self.verified = true,
        }
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

// ---------------------------------------------------------------- scenario

/// A fake clock so every run writes the same timestamps.
struct Clock {
    now: DateTime<Utc>,
    step: u64,
}

impl Clock {
    fn new() -> Self {
        Self { now: Utc.with_ymd_and_hms(2025, 4, 1, 8, 0, 0).unwrap(), step: 0 }
    }
    /// Advances by a pseudo-random 1..90 minutes (+ some milliseconds).
    fn tick(&mut self) -> String {
        self.step += 1;
        let h = self.step.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
        let minutes = 1 + (h % 90) as i64;
        let millis = (h % 1000) as i64;
        self.now += Duration::minutes(minutes) + Duration::milliseconds(millis);
        self.now.to_rfc3339_opts(SecondsFormat::Millis, true)
    }
}

pub struct Ctx<EA: EventStore<BankAccount>, EC: EventStore<Customer>> {
    accounts: CqrsFramework<BankAccount, EA>,
    customers: CqrsFramework<Customer, EC>,
    clock: Clock,
    /// Commands run, and those the aggregate rejected (they write nothing).
    pub commands: u32,
    pub rejected: u32,
}

impl<EA: EventStore<BankAccount>, EC: EventStore<Customer>> Ctx<EA, EC> {
    /// A scenario run writing through these two frameworks, with the clock at its start.
    pub fn new(accounts: CqrsFramework<BankAccount, EA>, customers: CqrsFramework<Customer, EC>) -> Self {
        Self { accounts, customers, clock: Clock::new(), commands: 0, rejected: 0 }
    }

    fn metadata(&mut self, user: &str, command: &str) -> HashMap<String, String> {
        self.commands += 1;
        HashMap::from([
            ("timestamp".to_string(), self.clock.tick()),
            ("user_id".to_string(), user.to_string()),
            ("command".to_string(), command.to_string()),
            ("correlation_id".to_string(), format!("req-{:05}", 10_000 + self.commands * 7)),
        ])
    }

    async fn account(&mut self, id: &str, user: &str, cmd: BankAccountCommand) {
        let name = format!("{cmd:?}").split([' ', '{', '(']).next().unwrap().to_string();
        let md = self.metadata(user, &name);
        if let Err(e) = self.accounts.execute_with_metadata(id, cmd.clone(), md).await {
            // a rejected command writes nothing; report it and go on
            println!("  rejected: BankAccount {id} {cmd:?}: {e}");
            self.rejected += 1;
        }
    }

    async fn customer(&mut self, id: &str, user: &str, cmd: CustomerCommand) {
        let name = format!("{cmd:?}").split([' ', '{', '(']).next().unwrap().to_string();
        let md = self.metadata(user, &name);
        if let Err(e) = self.customers.execute_with_metadata(id, cmd.clone(), md).await {
            println!("  rejected: Customer {id} {cmd:?}: {e}");
            self.rejected += 1;
        }
    }
}

// Aggregate ids. `SHARED_ID` is used by a BankAccount AND a Customer on
// purpose: only (aggregate_type, aggregate_id) identifies a stream.
pub const ACC_ALICE: &str = "7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f";
pub const ACC_BOB: &str = "b2e4d6f8-1a3c-4b5d-8e7f-9a0b1c2d3e4f";
pub const ACC_CAROL: &str = "c0ffee00-5eed-4bad-a11e-d00d00000042";
pub const SHARED_ID: &str = "ACME-0001";
pub const CUST_ALICE: &str = "cust-alice";

/// Every command of the scenario, in order, through `execute_with_metadata`.
pub async fn run_scenario<EA: EventStore<BankAccount>, EC: EventStore<Customer>>(ctx: &mut Ctx<EA, EC>) {
    use BankAccountCommand as B;
    use CustomerCommand as C;

    ctx.customer(CUST_ALICE, "web", C::Register {
        customer_id: CUST_ALICE.into(),
        name: "Alice Nowak".into(),
        email: "alice@example.com".into(),
    })
    .await;
    ctx.customer(SHARED_ID, "backoffice", C::Register {
        customer_id: SHARED_ID.into(),
        name: "ACME Sp. z o.o.".into(),
        email: "finance@acme.example".into(),
    })
    .await;

    // OpenAccount emits two events (AccountOpened + CustomerDepositedMoney)
    ctx.account(ACC_ALICE, "alice", B::OpenAccount { account_id: ACC_ALICE.into(), initial_deposit: 250.0 }).await;
    ctx.account(ACC_BOB, "bob", B::OpenAccount { account_id: ACC_BOB.into(), initial_deposit: 0.0 }).await;
    ctx.account(SHARED_ID, "backoffice", B::OpenAccount { account_id: SHARED_ID.into(), initial_deposit: 10_000.0 }).await;
    ctx.customer(CUST_ALICE, "web", C::LinkAccount { account_id: ACC_ALICE.into() }).await;
    ctx.customer(SHARED_ID, "backoffice", C::LinkAccount { account_id: SHARED_ID.into() }).await;
    ctx.customer(CUST_ALICE, "kyc-service", C::Verify).await;

    ctx.account(ACC_BOB, "bob", B::DepositMoney { amount: 120.0 }).await;
    ctx.account(ACC_ALICE, "alice", B::WithdrawMoney { amount: 40.0 }).await;
    ctx.account(SHARED_ID, "backoffice", B::WriteCheck { check_number: "1001".into(), amount: 1250.5 }).await;
    ctx.account(ACC_ALICE, "alice", B::DepositMoney { amount: 75.25 }).await;
    ctx.account(ACC_BOB, "bob", B::WithdrawMoney { amount: 20.0 }).await;
    ctx.customer(CUST_ALICE, "alice", C::ChangeAddress {
        street: "ul. Długa 5".into(),
        city: "Kraków".into(),
        country: "PL".into(),
    })
    .await;
    ctx.account(SHARED_ID, "backoffice", B::WriteCheck { check_number: "1002".into(), amount: 830.0 }).await;
    ctx.account(ACC_ALICE, "alice", B::WriteCheck { check_number: "0007".into(), amount: 99.99 }).await;
    // overdraft: CustomerWithdrewCash + AccountFrozen from one command
    ctx.account(ACC_BOB, "bob", B::WithdrawMoney { amount: 150.0 }).await;
    ctx.customer(SHARED_ID, "backoffice", C::ChangeEmail { email: "ap@acme.example".into() }).await;
    ctx.account(ACC_BOB, "bob", B::DepositMoney { amount: 200.0 }).await;
    ctx.account(ACC_BOB, "support", B::Unfreeze).await;

    ctx.account(ACC_CAROL, "carol", B::OpenAccount { account_id: ACC_CAROL.into(), initial_deposit: 50.0 }).await;
    ctx.customer(CUST_ALICE, "alice", C::ChangeEmail { email: "alice.nowak@example.com".into() }).await;
    // 6th Customer event: lands on a snapshot boundary (snapshot size 3)
    ctx.customer(CUST_ALICE, "alice", C::LinkAccount { account_id: ACC_CAROL.into() }).await;
    ctx.customer(SHARED_ID, "backoffice", C::ChangeAddress {
        street: "Industrial Park 12".into(),
        city: "Gdańsk".into(),
        country: "PL".into(),
    })
    .await;

    for month in 0..4 {
        for id in [ACC_ALICE, ACC_BOB, SHARED_ID, ACC_CAROL] {
            ctx.account(id, "billing-job", B::ChargeMonthlyFee { fee: 2.5 }).await;
        }
        ctx.account(ACC_ALICE, "alice", B::DepositMoney { amount: 300.0 + month as f64 * 10.0 }).await;
        ctx.account(SHARED_ID, "backoffice", B::WriteCheck {
            check_number: format!("{}", 1003 + month),
            amount: 410.0 + month as f64 * 55.5,
        })
        .await;
        ctx.account(ACC_CAROL, "carol", B::WithdrawMoney { amount: 10.0 }).await;
    }
    // Carol overdraws: two events from one command
    ctx.account(ACC_CAROL, "carol", B::WithdrawMoney { amount: 60.0 }).await;
    ctx.customer(SHARED_ID, "kyc-service", C::Verify).await;
    ctx.account(ACC_ALICE, "alice", B::WithdrawMoney { amount: 25.0 }).await;
}

