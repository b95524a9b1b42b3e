// Writes a small bank into Emmett's own PostgreSQL event store, reads it back through Emmett and writes
// expected.json beside this file. Usage (see README.md): tsx generate.ts POSTGRES_URL_OF_AN_EMPTY_DATABASE
//
// Everything in the database is written by Emmett itself: the schema comes from getPostgreSQLEventStore's
// auto-migration (emt_streams, emt_messages partitioned by partition and archive state, emt_subscriptions,
// emt_processors, emt_projections and Emmett's functions), and every event is appended with the event store's
// appendToStream, with an expected stream version. Reading back uses the event store's readStream and
// aggregateStream; only the `created` column (which readStream does not return) is read with plain SQL.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  STREAM_DOES_NOT_EXIST,
  type Event,
  type ReadEvent,
} from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';

// ---------------------------------------------------------------- domain: the bank of the other samples

type Meta = { messageId: string; correlationId: string; causationId: string; userId: string };

type AccountOpened = Event<
  'AccountOpened',
  { accountId: string; accountNumber: string; owner: string; currency: string; openedAt: string },
  Meta
>;
type MoneyDeposited = Event<
  'MoneyDeposited',
  { accountId: string; amount: number; depositId: string; depositedAt: string },
  Meta
>;
type MoneyWithdrawn = Event<
  'MoneyWithdrawn',
  { accountId: string; amount: number; withdrawalId: string; withdrawnAt: string },
  Meta
>;
type OwnerRenamed = Event<'OwnerRenamed', { accountId: string; owner: string; renamedAt: string }, Meta>;
type AccountClosed = Event<'AccountClosed', { accountId: string; closedAt: string; reason: string }, Meta>;
type AccountEvent = AccountOpened | MoneyDeposited | MoneyWithdrawn | OwnerRenamed | AccountClosed;

type TransferInitiated = Event<
  'TransferInitiated',
  { transferId: string; fromAccountId: string; toAccountId: string; amount: number; initiatedAt: string },
  Meta
>;
type TransferCompleted = Event<'TransferCompleted', { transferId: string; completedAt: string }, Meta>;
type TransferEvent = TransferInitiated | TransferCompleted;

type Account = {
  accountNumber: string | null;
  owner: string | null;
  currency: string | null;
  balanceCents: number;
  status: 'None' | 'Open' | 'Closed';
  transactions: number;
};

const initialAccount = (): Account => ({
  accountNumber: null,
  owner: null,
  currency: null,
  balanceCents: 0,
  status: 'None',
  transactions: 0,
});

const cents = (amount: number) => Math.round(amount * 100);

const evolveAccount = (state: Account, event: AccountEvent): Account => {
  switch (event.type) {
    case 'AccountOpened':
      return {
        ...state,
        accountNumber: event.data.accountNumber,
        owner: event.data.owner,
        currency: event.data.currency,
        status: 'Open',
      };
    case 'MoneyDeposited':
      return { ...state, balanceCents: state.balanceCents + cents(event.data.amount), transactions: state.transactions + 1 };
    case 'MoneyWithdrawn':
      return { ...state, balanceCents: state.balanceCents - cents(event.data.amount), transactions: state.transactions + 1 };
    case 'OwnerRenamed':
      return { ...state, owner: event.data.owner };
    case 'AccountClosed':
      return { ...state, status: 'Closed' };
  }
};

type Transfer = { status: 'None' | 'Initiated' | 'Completed'; amount: number | null };
const evolveTransfer = (state: Transfer, event: TransferEvent): Transfer =>
  event.type === 'TransferInitiated'
    ? { status: 'Initiated', amount: event.data.amount }
    : { ...state, status: 'Completed' };

// ---------------------------------------------------------------- deterministic scenario

// mulberry32, seeded: the same amounts, ids and times on every run.
const rng = (() => {
  let a = 0xba_4b_20_24;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
})();
const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rng() * 16).toString(16)).join('');
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${['8', '9', 'a', 'b'][Math.floor(rng() * 4)]}${hex(3)}-${hex(12)}`;
const money = (lo: number, hi: number) => Math.round((lo + rng() * (hi - lo)) * 100) / 100;

let clock = Date.UTC(2024, 5, 3, 8, 0, 0);
const now = () => {
  clock += 60_000 + Math.floor(rng() * 7_200_000);
  return new Date(clock).toISOString();
};

const specs = [
  { accountNumber: 'DE-3001', owner: 'Anna Schmidt', currency: 'EUR', user: 'user-anna' },
  { accountNumber: 'DE-3002', owner: 'Jörg Müller', currency: 'EUR', user: 'user-joerg' },
  { accountNumber: 'GB-3003', owner: 'Oliver Brown', currency: 'GBP', user: 'user-oliver' },
  { accountNumber: 'PL-3004', owner: 'Zofia Kowalska', currency: 'PLN', user: 'user-zofia' },
  { accountNumber: 'FR-3005', owner: 'Chloé Martin', currency: 'EUR', user: 'user-chloe' },
];

// ---------------------------------------------------------------- main

const toJson = (value: unknown) =>
  JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? Number(v) : v), 2) + '\n';

const main = async () => {
  const url = process.argv[2];
  if (!url) throw new Error('usage: tsx generate.ts POSTGRES_URL_OF_AN_EMPTY_DATABASE');
  const eventStore = getPostgreSQLEventStore(url);

  const versions = new Map<string, bigint>();
  const streams: string[] = [];
  let appended = 0;
  const append = async (stream: string, events: (AccountEvent | TransferEvent)[]) => {
    const version = versions.get(stream);
    if (version === undefined) streams.push(stream);
    const result = await eventStore.appendToStream(stream, events, {
      expectedStreamVersion: version ?? STREAM_DOES_NOT_EXIST,
    });
    versions.set(stream, result.nextExpectedStreamVersion);
    appended += events.length;
    return result;
  };
  const meta = (user: string, correlationId: string, command: string): Meta => ({
    messageId: uuid(),
    correlationId,
    causationId: `cmd-${command}-${hex(12)}`,
    userId: user,
  });

  const accounts = specs.map((s) => ({ ...s, id: uuid(), balance: 0, open: true }));
  const streamOf = (a: { id: string }) => `bank_account-${a.id}`;

  // Opening: AccountOpened + the first MoneyDeposited in ONE append (one transaction, two events).
  for (const a of accounts) {
    const corr = `open-${a.accountNumber}`;
    const amount = money(100, 4000);
    a.balance += cents(amount);
    await append(streamOf(a), [
      {
        type: 'AccountOpened',
        data: { accountId: a.id, accountNumber: a.accountNumber, owner: a.owner, currency: a.currency, openedAt: now() },
        metadata: meta(a.user, corr, 'OpenAccount'),
      },
      {
        type: 'MoneyDeposited',
        data: { accountId: a.id, amount, depositId: uuid(), depositedAt: now() },
        metadata: meta(a.user, corr, 'OpenAccount'),
      },
    ]);
  }

  const weights = [5, 3, 2, 2, 2];
  const pickAccount = () => {
    const open = accounts.map((a, i) => ({ a, w: a.open ? weights[i]! : 0 }));
    let r = rng() * open.reduce((s, x) => s + x.w, 0);
    for (const x of open) if ((r -= x.w) < 0) return x.a;
    return accounts[0]!;
  };

  for (let step = 0; step < 70; step++) {
    const a = pickAccount();
    const corr = `req-${hex(10)}`;
    if (step === 20) {
      await append(streamOf(accounts[1]!), [
        {
          type: 'OwnerRenamed',
          data: { accountId: accounts[1]!.id, owner: 'Jörg Müller-Weiß', renamedAt: now() },
          metadata: meta(accounts[1]!.user, corr, 'RenameOwner'),
        },
      ]);
    } else if (step === 45) {
      // Closing PL-3004: pay out the rest and close, in one append.
      const c = accounts[3]!;
      const rest = c.balance / 100;
      c.balance = 0;
      c.open = false;
      await append(streamOf(c), [
        {
          type: 'MoneyWithdrawn',
          data: { accountId: c.id, amount: rest, withdrawalId: uuid(), withdrawnAt: now() },
          metadata: meta(c.user, corr, 'CloseAccount'),
        },
        {
          type: 'AccountClosed',
          data: { accountId: c.id, closedAt: now(), reason: 'Customer request' },
          metadata: meta(c.user, corr, 'CloseAccount'),
        },
      ]);
    } else if (step % 9 === 4) {
      // A transfer: its own stream, a withdrawal and a deposit, all correlated.
      const from = a;
      const to = accounts.find((x) => x.open && x !== from && x.currency === from.currency) ?? accounts[0]!;
      if (from === to || from.balance < 2000) continue;
      const amount = Math.round(from.balance / 4) / 100;
      const id = uuid();
      const tstream = `transfer-${id}`;
      const tcorr = `transfer-${id}`;
      await append(tstream, [
        {
          type: 'TransferInitiated',
          data: { transferId: id, fromAccountId: from.id, toAccountId: to.id, amount, initiatedAt: now() },
          metadata: meta(from.user, tcorr, 'TransferMoney'),
        },
      ]);
      from.balance -= cents(amount);
      await append(streamOf(from), [
        {
          type: 'MoneyWithdrawn',
          data: { accountId: from.id, amount, withdrawalId: id, withdrawnAt: now() },
          metadata: meta('system:transfers', tcorr, 'TransferMoney'),
        },
      ]);
      to.balance += cents(amount);
      await append(streamOf(to), [
        {
          type: 'MoneyDeposited',
          data: { accountId: to.id, amount, depositId: id, depositedAt: now() },
          metadata: meta('system:transfers', tcorr, 'TransferMoney'),
        },
      ]);
      await append(tstream, [
        {
          type: 'TransferCompleted',
          data: { transferId: id, completedAt: now() },
          metadata: meta('system:transfers', tcorr, 'TransferMoney'),
        },
      ]);
    } else if (rng() < 0.55 || a.balance < 1000) {
      const amount = money(5, 900);
      a.balance += cents(amount);
      await append(streamOf(a), [
        {
          type: 'MoneyDeposited',
          data: { accountId: a.id, amount, depositId: uuid(), depositedAt: now() },
          metadata: meta(a.user, corr, 'Deposit'),
        },
      ]);
    } else {
      const amount = Math.max(0.01, Math.round(a.balance * rng() * 0.6) / 100);
      a.balance -= cents(amount);
      await append(streamOf(a), [
        {
          type: 'MoneyWithdrawn',
          data: { accountId: a.id, amount, withdrawalId: uuid(), withdrawnAt: now() },
          metadata: meta(a.user, corr, 'Withdraw'),
        },
      ]);
    }
  }

  // ---------------------------------------------------------------- read back through Emmett
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const created = new Map<string, string>();
  for (const row of (
    await client.query<{ message_id: string; created: Date }>('SELECT message_id, created FROM emt_messages')
  ).rows)
    created.set(row.message_id, row.created.toISOString());
  const tables = (
    await client.query<{ relname: string; n: string }>(
      `SELECT c.relname, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', c.relname), false, true, '')))[1]::text AS n
         FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
        WHERE s.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
    )
  ).rows;
  await client.end();

  const summary: Record<string, unknown> = {};
  let total = 0;
  for (const stream of streams) {
    const isAccount = stream.startsWith('bank_account-');
    const read = await eventStore.readStream<AccountEvent | TransferEvent>(stream);
    const events = read.events as ReadEvent<AccountEvent | TransferEvent>[];
    total += events.length;
    const types: Record<string, number> = {};
    for (const e of events) types[e.type] = (types[e.type] ?? 0) + 1;
    const first = events[0]!;
    const last = events[events.length - 1]!;
    const aggregate = isAccount
      ? await eventStore.aggregateStream<Account, AccountEvent>(stream, {
          evolve: evolveAccount,
          initialState: initialAccount,
        })
      : await eventStore.aggregateStream<Transfer, TransferEvent>(stream, {
          evolve: evolveTransfer,
          initialState: (): Transfer => ({ status: 'None', amount: null }),
        });
    summary[stream] = {
      stream_type: stream.split('-')[0],
      events: events.length,
      current_stream_version: read.currentStreamVersion,
      types,
      first_stream_position: first.metadata.streamPosition,
      last_stream_position: last.metadata.streamPosition,
      first_global_position: first.metadata.globalPosition,
      last_global_position: last.metadata.globalPosition,
      first_message_id: first.metadata.messageId,
      last_message_id: last.metadata.messageId,
      first_created: created.get(first.metadata.messageId),
      last_created: created.get(last.metadata.messageId),
      aggregate_stream_version: aggregate.currentStreamVersion,
      state: aggregate.state,
    };
  }
  await eventStore.close();
  if (total !== appended) throw new Error(`read back ${total} events, appended ${appended}`);

  const here = path.dirname(fileURLToPath(import.meta.url));
  const pkg = (name: string) =>
    JSON.parse(fs.readFileSync(path.join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
  fs.writeFileSync(
    path.join(here, 'expected.json'),
    toJson({
      emmett: pkg('@event-driven-io/emmett'),
      'emmett-postgresql': pkg('@event-driven-io/emmett-postgresql'),
      database: 'emmett',
      not_deterministic: [
        'created (emt_messages.created, the server clock at append time)',
        'transaction_id (emt_messages.transaction_id, the server transaction id, xid8)',
      ],
      events: appended,
      tables: Object.fromEntries(tables.map((t) => [t.relname, Number(t.n)])),
      streams: summary,
    }),
  );
  console.log(`emmett: ${streams.length} streams, ${appended} events`);
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
