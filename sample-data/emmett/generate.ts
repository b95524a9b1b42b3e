// Writes a small Emmett SQLite event store (shopping-cart domain) to the file
// given as the first argument (default: ../emmett.sqlite).
//
// Everything in the file is written by Emmett itself: the schema comes from
// getSQLiteEventStore's auto-migration, the events are appended through
// Emmett's CommandHandler, the `shopping_cart_summaries` table is an Emmett
// inline projection and the `emt_processors` row is an Emmett consumer
// processor checkpoint. Only the final WAL -> DELETE journal switch is done
// with a separate connection after Emmett has closed its own.
import fs from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { CommandHandler, type Event } from '@event-driven-io/emmett';
import {
  getSQLiteEventStore,
  sqliteRawSQLProjection,
} from '@event-driven-io/emmett-sqlite';

// ---------------------------------------------------------------- domain

type PricedProductItem = {
  productId: string;
  quantity: number;
  unitPrice: number;
};

type RequestMetadata = {
  correlationId: string;
  causationId: string;
  userId: string;
};

type ProductItemAdded = Event<
  'ProductItemAdded',
  { shoppingCartId: string; productItem: PricedProductItem; addedAt: Date },
  RequestMetadata
>;
type ProductItemRemoved = Event<
  'ProductItemRemoved',
  { shoppingCartId: string; productItem: PricedProductItem; removedAt: Date },
  RequestMetadata
>;
type ShoppingCartConfirmed = Event<
  'ShoppingCartConfirmed',
  { shoppingCartId: string; confirmedAt: Date },
  RequestMetadata
>;
type ShoppingCartCancelled = Event<
  'ShoppingCartCancelled',
  { shoppingCartId: string; cancelledAt: Date; reason: string },
  RequestMetadata
>;

type ShoppingCartEvent =
  | ProductItemAdded
  | ProductItemRemoved
  | ShoppingCartConfirmed
  | ShoppingCartCancelled;

type ShoppingCart =
  | { status: 'Empty' }
  | { status: 'Opened'; items: Map<string, PricedProductItem> }
  | { status: 'Closed' };

const initialState = (): ShoppingCart => ({ status: 'Empty' });

const evolve = (state: ShoppingCart, event: ShoppingCartEvent): ShoppingCart => {
  switch (event.type) {
    case 'ProductItemAdded': {
      if (state.status === 'Closed') return state;
      const items = state.status === 'Opened' ? new Map(state.items) : new Map();
      const item = event.data.productItem;
      const current = items.get(item.productId);
      items.set(item.productId, {
        ...item,
        quantity: (current?.quantity ?? 0) + item.quantity,
      });
      return { status: 'Opened', items };
    }
    case 'ProductItemRemoved': {
      if (state.status !== 'Opened') return state;
      const items = new Map(state.items);
      const item = event.data.productItem;
      const current = items.get(item.productId);
      const left = (current?.quantity ?? 0) - item.quantity;
      if (left > 0) items.set(item.productId, { ...item, quantity: left });
      else items.delete(item.productId);
      return { status: 'Opened', items };
    }
    case 'ShoppingCartConfirmed':
    case 'ShoppingCartCancelled':
      return { status: 'Closed' };
  }
};

const handle = CommandHandler<ShoppingCart, ShoppingCartEvent>({
  evolve,
  initialState,
  mapToStreamId: (id) => `shopping_cart-${id}`,
});

// ------------------------------------------------- deterministic scenario

// mulberry32: small seeded PRNG so the scenario is the same on every run
// (message ids, `created` timestamps and the checkpoint are still chosen by
// Emmett / SQLite at run time).
const rng = (() => {
  let a = 0x5eed_2024;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
})();
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const hex = (n: number) =>
  Array.from({ length: n }, () => Math.floor(rng() * 16).toString(16)).join('');
const fakeUuid = () =>
  `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;

const catalogue = [
  { productId: 'prd-coffee-beans', unitPrice: 12.5 },
  { productId: 'prd-espresso-cups', unitPrice: 24.0 },
  { productId: 'prd-milk-frother', unitPrice: 39.99 },
  { productId: 'prd-grinder', unitPrice: 89.0 },
  { productId: 'prd-filter-papers', unitPrice: 3.2 },
  { productId: 'prd-kettle', unitPrice: 54.9 },
] as const;

const users = ['user-anna', 'user-bartek', 'user-chloe', 'user-dmitri'];

let clock = Date.UTC(2025, 2, 3, 9, 0, 0);
const now = () => {
  clock += 30_000 + Math.floor(rng() * 600_000);
  return new Date(clock);
};

type Plan = {
  id: string;
  user: string;
  adds: number;
  removes: number;
  end: 'confirm' | 'cancel' | 'open';
  // emit events without metadata (e.g. written by a background job)
  withMetadata: boolean;
};

const plans: Plan[] = [
  { adds: 7, removes: 1, end: 'confirm', withMetadata: true },
  { adds: 5, removes: 0, end: 'confirm', withMetadata: true },
  { adds: 8, removes: 2, end: 'cancel', withMetadata: true },
  { adds: 6, removes: 1, end: 'confirm', withMetadata: false },
  { adds: 3, removes: 0, end: 'open', withMetadata: true },
  { adds: 8, removes: 2, end: 'confirm', withMetadata: true },
  { adds: 2, removes: 1, end: 'cancel', withMetadata: false },
  { adds: 6, removes: 1, end: 'open', withMetadata: true },
].map((p) => ({ ...p, id: fakeUuid(), user: pick(users) }));

// ---------------------------------------------------------------- main

const main = async () => {
  const out = path.resolve(process.argv[2] ?? '../emmett.sqlite');
  for (const suffix of ['', '-wal', '-shm', '-journal'])
    fs.rmSync(out + suffix, { force: true });

  const eventStore = getSQLiteEventStore({
    fileName: out,
    projections: [
      {
        type: 'inline',
        projection: sqliteRawSQLProjection<ShoppingCartEvent>({
          name: 'shopping_cart_summaries',
          canHandle: [
            'ProductItemAdded',
            'ProductItemRemoved',
            'ShoppingCartConfirmed',
            'ShoppingCartCancelled',
          ],
          initSQL: `CREATE TABLE IF NOT EXISTS shopping_cart_summaries(
            shopping_cart_id TEXT PRIMARY KEY,
            status           TEXT NOT NULL,
            item_count       INTEGER NOT NULL,
            total_amount     REAL NOT NULL
          )`,
          evolve: (event) => {
            const id = event.data.shoppingCartId.replaceAll("'", "''");
            switch (event.type) {
              case 'ProductItemAdded':
              case 'ProductItemRemoved': {
                const sign = event.type === 'ProductItemAdded' ? 1 : -1;
                const q = sign * event.data.productItem.quantity;
                const amount = q * event.data.productItem.unitPrice;
                return `INSERT INTO shopping_cart_summaries(shopping_cart_id, status, item_count, total_amount)
                        VALUES ('${id}', 'Opened', ${q}, ${amount})
                        ON CONFLICT(shopping_cart_id) DO UPDATE SET
                          item_count = item_count + ${q},
                          total_amount = round(total_amount + ${amount}, 2)`;
              }
              case 'ShoppingCartConfirmed':
                return `UPDATE shopping_cart_summaries SET status = 'Confirmed' WHERE shopping_cart_id = '${id}'`;
              case 'ShoppingCartCancelled':
                return `UPDATE shopping_cart_summaries SET status = 'Cancelled' WHERE shopping_cart_id = '${id}'`;
            }
          },
        }),
      },
    ],
  });

  // Each cart goes through a list of steps; carts are interleaved round-robin
  // so that global positions of different streams mix.
  type Step = (cart: ShoppingCart) => ShoppingCartEvent | ShoppingCartEvent[];
  const queues: { plan: Plan; steps: { name: string; step: Step }[] }[] = [];

  for (const plan of plans) {
    const steps: { name: string; step: Step }[] = [];
    const shoppingCartId = plan.id;
    let session = 0;
    const meta = (command: string): RequestMetadata | undefined => {
      if (!plan.withMetadata) return undefined;
      session++;
      return {
        correlationId: `corr-${plan.id.slice(0, 8)}-${session}`,
        causationId: `cmd-${command}-${hex(12)}`,
        userId: plan.user,
      };
    };
    const withMeta = <E extends ShoppingCartEvent>(
      e: Omit<E, 'metadata'>,
      m: RequestMetadata | undefined,
    ): E => (m ? { ...e, metadata: m } : e) as E;

    const added: PricedProductItem[] = [];
    let remaining = plan.adds;
    while (remaining > 0) {
      // sometimes a single command adds two products: one append, two events
      const batch = remaining >= 2 && rng() < 0.3 ? 2 : 1;
      remaining -= batch;
      const items = Array.from({ length: batch }, () => {
        const p = pick(catalogue);
        const item = { ...p, quantity: 1 + Math.floor(rng() * 3) };
        added.push(item);
        return item;
      });
      steps.push({
        name: 'AddProductItem',
        step: (cart) => {
          if (cart.status === 'Closed') throw new Error('Cart is closed');
          const m = meta('AddProductItem');
          return items.map((productItem) =>
            withMeta<ProductItemAdded>(
              {
                type: 'ProductItemAdded',
                data: { shoppingCartId, productItem, addedAt: now() },
              },
              m,
            ),
          );
        },
      });
    }
    for (let r = 0; r < plan.removes; r++) {
      const item = added[Math.floor(rng() * added.length)]!;
      steps.push({
        name: 'RemoveProductItem',
        step: (cart) => {
          if (cart.status !== 'Opened') throw new Error('Cart is not opened');
          const current = cart.items.get(item.productId);
          if (!current) throw new Error('Product not in cart');
          return withMeta<ProductItemRemoved>(
            {
              type: 'ProductItemRemoved',
              data: {
                shoppingCartId,
                productItem: { ...item, quantity: 1 },
                removedAt: now(),
              },
            },
            meta('RemoveProductItem'),
          );
        },
      });
    }
    if (plan.end === 'confirm')
      steps.push({
        name: 'ConfirmShoppingCart',
        step: (cart) => {
          if (cart.status !== 'Opened') throw new Error('Cart is not opened');
          return withMeta<ShoppingCartConfirmed>(
            {
              type: 'ShoppingCartConfirmed',
              data: { shoppingCartId, confirmedAt: now() },
            },
            meta('ConfirmShoppingCart'),
          );
        },
      });
    if (plan.end === 'cancel')
      steps.push({
        name: 'CancelShoppingCart',
        step: (cart) => {
          if (cart.status !== 'Opened') throw new Error('Cart is not opened');
          return withMeta<ShoppingCartCancelled>(
            {
              type: 'ShoppingCartCancelled',
              data: {
                shoppingCartId,
                cancelledAt: now(),
                reason: pick(['Customer changed mind', 'Payment failed', 'Timed out']),
              },
            },
            meta('CancelShoppingCart'),
          );
        },
      });
    queues.push({ plan, steps });
  }

  let appended = 0;
  for (let round = 0; queues.some((q) => q.steps.length > 0); round++) {
    for (const q of queues) {
      const next = q.steps.shift();
      if (!next) continue;
      const result = await handle(eventStore, q.plan.id, next.step);
      appended += result.newEvents.length;
    }
  }

  // An async consumer with one processor that reads the whole log once and
  // stores its checkpoint in emt_processors.
  const last = appended;
  let seen = 0;
  const consumer = eventStore.consumer();
  consumer.processor({
    processorId: 'cart-activity-counter',
    eachMessage: async () => {
      seen++;
    },
    stopAfter: (message) => message.metadata.globalPosition === BigInt(last),
  });
  await consumer.start();
  await consumer.close();

  // Switch the file from WAL to a single rollback-journal file, using a
  // separate connection after Emmett's connections are closed.
  await new Promise<void>((resolve, reject) => {
    const db = new sqlite3.Database(out, (err) => {
      if (err) return reject(err);
      db.exec(
        'PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE; VACUUM;',
        (err2) => {
          if (err2) return reject(err2);
          db.close((err3) => (err3 ? reject(err3) : resolve()));
        },
      );
    });
  });

  console.log(
    `wrote ${out}: ${plans.length} streams, ${appended} events, processor saw ${seen}`,
  );
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
