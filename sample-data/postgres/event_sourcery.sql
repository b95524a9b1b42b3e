--
-- PostgreSQL database dump
--

\restrict eventscope

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: event_sourcery_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.event_sourcery_events (
    id bigint NOT NULL,
    version integer,
    uuid uuid,
    name character varying(200) NOT NULL,
    data jsonb NOT NULL,
    event_context jsonb NOT NULL,
    created_at timestamp without time zone NOT NULL,
    db_stream_id bigint NOT NULL
);


--
-- Name: event_sourcery_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.event_sourcery_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: event_sourcery_events_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.event_sourcery_events_id_seq OWNED BY public.event_sourcery_events.id;


--
-- Name: event_sourcery_outbox_entries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.event_sourcery_outbox_entries (
    id bigint NOT NULL,
    created_at timestamp without time zone NOT NULL,
    data jsonb NOT NULL,
    stream_name character varying(255),
    "position" bigint,
    tries_left integer NOT NULL
);


--
-- Name: event_sourcery_outbox_entries_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.event_sourcery_outbox_entries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: event_sourcery_outbox_entries_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.event_sourcery_outbox_entries_id_seq OWNED BY public.event_sourcery_outbox_entries.id;


--
-- Name: event_sourcery_projector_cursors; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.event_sourcery_projector_cursors (
    id bigint NOT NULL,
    name character varying(255) NOT NULL,
    stream_id uuid NOT NULL,
    category character varying(255),
    version bigint NOT NULL
);


--
-- Name: event_sourcery_projector_cursors_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.event_sourcery_projector_cursors_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: event_sourcery_projector_cursors_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.event_sourcery_projector_cursors_id_seq OWNED BY public.event_sourcery_projector_cursors.id;


--
-- Name: event_sourcery_snapshots; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.event_sourcery_snapshots (
    uuid uuid NOT NULL,
    version integer NOT NULL,
    name character varying(50) NOT NULL,
    data jsonb NOT NULL,
    event_context jsonb NOT NULL,
    created_at timestamp without time zone NOT NULL,
    db_stream_id bigint NOT NULL
);


--
-- Name: event_sourcery_streams; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.event_sourcery_streams (
    id bigint NOT NULL,
    uuid uuid NOT NULL,
    name character varying(255),
    category character varying(255) NOT NULL,
    tenant_id character varying(255) NOT NULL,
    version bigint
);


--
-- Name: event_sourcery_streams_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.event_sourcery_streams_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: event_sourcery_streams_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.event_sourcery_streams_id_seq OWNED BY public.event_sourcery_streams.id;


--
-- Name: event_sourcery_events id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_sourcery_events ALTER COLUMN id SET DEFAULT nextval('public.event_sourcery_events_id_seq'::regclass);


--
-- Name: event_sourcery_outbox_entries id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_sourcery_outbox_entries ALTER COLUMN id SET DEFAULT nextval('public.event_sourcery_outbox_entries_id_seq'::regclass);


--
-- Name: event_sourcery_projector_cursors id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_sourcery_projector_cursors ALTER COLUMN id SET DEFAULT nextval('public.event_sourcery_projector_cursors_id_seq'::regclass);


--
-- Name: event_sourcery_streams id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_sourcery_streams ALTER COLUMN id SET DEFAULT nextval('public.event_sourcery_streams_id_seq'::regclass);


--
-- Data for Name: event_sourcery_events; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.event_sourcery_events (id, version, uuid, name, data, event_context, created_at, db_stream_id) FROM stdin;
1	\N	fdae9d6b-7d4d-4d37-8c08-2f8c452f28aa	shop_events.CustomerSignedIn	{"ip": "203.0.113.7", "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/136.0", "customer_id": "1e250c70-dff6-4e52-8690-a9c144e7cf0f"}	{"causation_id": null, "correlation_id": null}	2025-03-14 09:12:45.001857	1
2	\N	4d955eaf-07ce-4cf1-a334-0e86f3d91d41	shop_events.SearchPerformed	{"query": "mechanical keyboard", "score": 0.92, "filters": {"brand": ["Keychron", "Cherry"], "layout": ["ISO-DE"]}, "results": 14}	{"causation_id": null, "correlation_id": null}	2025-03-14 09:13:18.345836	1
3	1	86165a48-b9a7-4fbd-be96-1a90fcf2fb79	shop_events.CartCreated	{"cart_id": "4ca9d93f-a8d0-5635-9c27-690bdbf42e0c", "channel": "web", "currency": "EUR", "customer": {"id": "1e250c70-dff6-4e52-8690-a9c144e7cf0f", "email": "alice@example.com", "display_name": "Alice Nowak", "loyalty_tier": "gold"}}	{"components": {"actor": {"channel": "web", "user_id": "alice@example.com"}}, "causation_id": null, "correlation_id": "91d1d12f-bc0b-41ab-bc38-add9e258cb98"}	2025-03-14 09:14:34.687818	2
4	2	b632b7e7-fe03-4afd-9693-861d252c67c7	shop_events.ItemAdded	{"product": {"sku": "SKU-KB-001", "name": "Mechanical keyboard", "attributes": {"layout": "ISO-DE", "switch": "brown"}}, "quantity": 1, "unit_price": {"amount": "89.90", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "alice@example.com"}}, "causation_id": null, "correlation_id": "b187bdad-47bd-48bb-8d4d-2cd61c9c2db1"}	2025-03-14 09:15:56.697733	2
5	3	d651b1d9-e8ff-4f7a-8b34-4198daf25ac0	shop_events.ItemAdded	{"product": {"sku": "SKU-MS-002", "name": "Wireless mouse", "attributes": {"colour": "graphite"}}, "quantity": 1, "unit_price": {"amount": "24.99", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "alice@example.com"}}, "causation_id": null, "correlation_id": "b187bdad-47bd-48bb-8d4d-2cd61c9c2db1"}	2025-03-14 09:16:16.841241	2
6	4	88358923-9e16-4e91-ae8e-30db3fbcdf63	shop_events.ItemAdded	{"product": {"sku": "SKU-CB-003", "name": "USB-C cable 2 m", "attributes": {}}, "quantity": 2, "unit_price": {"amount": "9.50", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "alice@example.com"}}, "causation_id": null, "correlation_id": "b187bdad-47bd-48bb-8d4d-2cd61c9c2db1"}	2025-03-14 09:16:53.970771	2
7	\N	094bee8c-0094-48d0-879a-965be9f894c4	shop_events.CustomerSignedIn	{"ip": "198.51.100.23", "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/136.0", "customer_id": "8db8df93-edd5-4cd5-86b3-bc355166765c"}	{"causation_id": null, "correlation_id": null}	2025-03-14 09:17:09.293012	1
8	1	65984e65-6b3a-41df-8e24-d109577afdc5	shop_events.CartCreated	{"cart_id": "fbabfd63-cc3a-4bd6-85b7-4005ca855dc8", "channel": "mobile", "currency": "EUR", "customer": {"id": "8db8df93-edd5-4cd5-86b3-bc355166765c", "email": "bob@example.com", "display_name": "Bob Müller", "loyalty_tier": null}}	{"components": {"actor": {"channel": "mobile", "user_id": "bob@example.com"}}, "causation_id": null, "correlation_id": "531ea343-e56f-47d7-befc-0ae2378db8d2"}	2025-03-14 09:18:13.545614	3
9	5	854e94f8-d7e8-4c97-a378-507a858fe61b	shop_events.ItemQuantityChanged	{"sku": "SKU-CB-003", "new_quantity": 3, "old_quantity": 2}	{"components": {"actor": {"channel": "web", "user_id": "alice@example.com"}}, "causation_id": null, "correlation_id": "5a015160-fa6e-490a-989f-c6526fcc8e07"}	2025-03-14 09:18:38.060135	2
10	2	6f66a39e-f692-4f59-b875-ff7262ad58ec	shop_events.ItemAdded	{"product": {"sku": "SKU-MN-004", "name": "27\\" monitor", "attributes": {"panel": "IPS", "resolution": "2560x1440"}}, "quantity": 1, "unit_price": {"amount": "279.00", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "bob@example.com"}}, "causation_id": null, "correlation_id": "0573bfe0-fc85-4a7c-a89a-30cf701d2bce"}	2025-03-14 09:20:06.774404	3
11	6	fd3a8b04-0815-4f32-888d-6dae5f58fe50	shop_events.ItemRemoved	{"sku": "SKU-MS-002", "reason": "found cheaper"}	{"components": {"actor": {"channel": "web", "user_id": "alice@example.com"}}, "causation_id": null, "correlation_id": "12c8063e-25c4-4434-9d04-9e1cda16707b"}	2025-03-14 09:20:25.71612	2
12	7	246fc0c3-6162-4c82-819d-3c903dfc51f7	shop_events.ItemAdded	{"product": {"sku": "SKU-CF-005", "name": "Café crème beans 1 kg 🛒", "attributes": {"origin": "Kraków roastery"}}, "quantity": 2, "unit_price": {"amount": "18.40", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "alice@example.com"}}, "causation_id": null, "correlation_id": "a5f7e40a-3848-4b95-a22d-d6c8db93ada2"}	2025-03-14 09:20:34.028969	2
13	3	84b9eb71-9cb2-4211-8b18-442f2535ce87	shop_events.ItemAdded	{"product": {"sku": "SKU-HS-008", "name": "Headset", "attributes": {"anc": "true"}}, "quantity": 1, "unit_price": {"amount": "129.00", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "bob@example.com"}}, "causation_id": null, "correlation_id": "71a3bb5a-d2b3-49c9-a2e8-29c1d65f257e"}	2025-03-14 09:21:05.523191	3
14	\N	24b27196-ef2a-4158-91a3-3489af716866	shop_events.SearchPerformed	{"query": "café crème", "score": null, "filters": {}, "results": 0}	{"causation_id": null, "correlation_id": null}	2025-03-14 09:21:40	1
15	8	a29755cd-3573-48d6-bb2c-da68c126699e	shop_events.CouponApplied	{"code": "SPRING-10", "discount": {"amount": "10.00", "currency": "EUR"}, "expires_at": "2025-12-31T23:59:59Z"}	{"components": {"actor": {"channel": "web", "user_id": "alice@example.com"}}, "causation_id": null, "correlation_id": "6f21f6c0-e841-48d1-8dbf-e0d7385089a2"}	2025-03-14 09:22:43.583691	2
16	4	3f3214a6-26ab-4f3b-bbfd-7e3b0c8db8c1	shop_events.ItemRemoved	{"sku": "SKU-MN-004", "reason": null}	{"components": {"actor": {"channel": "web", "user_id": "bob@example.com"}}, "causation_id": null, "correlation_id": "c98d5944-9f97-4362-8e97-b27d3cd9d890"}	2025-03-14 09:23:17.918255	3
17	9	0e9f1358-357a-484b-a402-bc6c465fb95c	shop_events.ShippingAddressSet	{"address": {"city": "Kraków", "line1": "ul. Długa 5/12", "line2": null, "country": "PL", "postal_code": "31-147"}, "delivery_window": {"end": "2025-03-16T12:30:00+01:00", "start": "2025-03-16T08:00:00+01:00"}}	{"components": {"actor": {"channel": "web", "user_id": "alice@example.com"}}, "causation_id": null, "correlation_id": "1cb1c45f-524d-488a-ba8b-eb69e69e7b5c"}	2025-03-14 09:23:50.444314	2
18	5	50ad3e27-544b-4688-8f04-70c5c0e835f7	shop_events.ItemAdded	{"product": {"sku": "SKU-CB-003", "name": "USB-C cable 2 m", "attributes": {}}, "quantity": 1, "unit_price": {"amount": "9.50", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "bob@example.com"}}, "causation_id": null, "correlation_id": "a70f7520-afdd-43ea-916f-96717ea27419"}	2025-03-14 09:25:18.56148	3
19	10	afe8a5c8-8b72-4f01-9ba4-e374726c6ae4	shop_events.CartCheckedOut	{"lines": [{"sku": "SKU-KB-001", "quantity": 1, "unit_price": "89.90"}, {"sku": "SKU-CB-003", "quantity": 3, "unit_price": "9.50"}, {"sku": "SKU-CF-005", "quantity": 2, "unit_price": "18.40"}], "total": {"amount": "145.20", "currency": "EUR"}, "cart_id": "4ca9d93f-a8d0-5635-9c27-690bdbf42e0c", "order_id": "770360b1-5061-4304-86aa-236d1a4c3d2e", "item_count": 6}	{"components": {"actor": {"channel": "web", "user_id": "alice@example.com"}}, "causation_id": null, "correlation_id": "ccd2dff8-9165-4f01-83df-d84fb8e8d398"}	2025-03-14 09:25:26.304458	2
20	1	30ebfab6-4fee-40e0-91b9-ffd09ab51438	shop_events.OrderPlaced	{"lines": [{"sku": "SKU-KB-001", "quantity": 1, "unit_price": "89.90"}, {"sku": "SKU-CB-003", "quantity": 3, "unit_price": "9.50"}, {"sku": "SKU-CF-005", "quantity": 2, "unit_price": "18.40"}], "total": {"amount": "145.20", "currency": "EUR"}, "cart_id": "4ca9d93f-a8d0-5635-9c27-690bdbf42e0c", "order_id": "770360b1-5061-4304-86aa-236d1a4c3d2e", "placed_at": "2025-03-14T09:25:26.304458Z", "customer_id": "1e250c70-dff6-4e52-8690-a9c144e7cf0f", "order_number": "SO-1001", "shipping_address": {"city": "Kraków", "line1": "ul. Długa 5/12", "line2": null, "country": "PL", "postal_code": "31-147"}}	{"components": {"actor": {"channel": "internal", "user_id": "system:order-service"}}, "causation_id": "afe8a5c8-8b72-4f01-9ba4-e374726c6ae4", "correlation_id": "ccd2dff8-9165-4f01-83df-d84fb8e8d398"}	2025-03-14 09:26:32.705359	4
21	1	352a92fb-7853-44f5-be5f-376f6a34659d	payments.PaymentRequested	{"amount": {"amount": "145.20", "currency": "EUR"}, "method": {"card": {"brand": "visa", "last4": "4242", "expires": "2027-08"}, "type": "card"}, "order_id": "770360b1-5061-4304-86aa-236d1a4c3d2e"}	{"components": {"actor": {"channel": "internal", "user_id": "system:payment-service"}}, "causation_id": "30ebfab6-4fee-40e0-91b9-ffd09ab51438", "correlation_id": "ccd2dff8-9165-4f01-83df-d84fb8e8d398"}	2025-03-14 09:27:49.324743	5
22	1	76a30fc6-f19a-4ad1-a5ed-4aa5a0e4b13e	shop_events.CartCreated	{"cart_id": "0f4bdfd9-1591-5d2e-a768-3d2f8ecfc901", "channel": "web", "currency": "EUR", "customer": {"id": "5ba68dd7-a280-4d1d-9057-e02036f41959", "email": "chloe@example.com", "display_name": "Chloé Durand", "loyalty_tier": "silver"}}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "3c8c3257-d0fb-42bb-a9f5-d6edae5c1501"}	2025-03-14 09:29:04.82219	6
23	2	5bcc8505-713f-4648-a815-d3165a7b8591	shop_events.ItemAdded	{"product": {"sku": "SKU-DK-006", "name": "Standing desk", "attributes": {"width_cm": "160"}}, "quantity": 1, "unit_price": {"amount": "499.00", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "77a7c175-80a6-4993-8622-fcff8338fdb8"}	2025-03-14 09:30:15.176488	6
24	3	755829ac-d551-4205-b1bc-e26979d74d7a	shop_events.ItemAdded	{"product": {"sku": "SKU-LP-007", "name": "Laptop stand", "attributes": {}}, "quantity": 1, "unit_price": {"amount": "39.95", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "46eb2945-e8aa-498f-90cc-b605cb35e476"}	2025-03-14 09:30:46.087155	6
25	4	bda7e39e-273c-455f-9a36-255c4e921b37	shop_events.ItemAdded	{"product": {"sku": "SKU-KB-001", "name": "Mechanical keyboard", "attributes": {"layout": "ISO-DE", "switch": "brown"}}, "quantity": 1, "unit_price": {"amount": "89.90", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "64b108fb-06dc-4073-8bd4-86844fb1041d"}	2025-03-14 09:31:48.060427	6
26	5	e2621f13-fba0-45c1-92db-aa44f3c69804	shop_events.ItemQuantityChanged	{"sku": "SKU-LP-007", "new_quantity": 2, "old_quantity": 1}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "bfdd289c-3c78-428d-a338-58a0a834ed88"}	2025-03-14 09:32:34.815865	6
27	6	06a34e48-d887-401a-ae28-932fdb0bcd3f	shop_events.ItemAdded	{"product": {"sku": "SKU-HS-008", "name": "Headset", "attributes": {"anc": "true"}}, "quantity": 1, "unit_price": {"amount": "129.00", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "89c76a12-994d-4e2b-a898-a620ba0c519f"}	2025-03-14 09:32:38.711261	6
28	7	6253d945-4e97-4b53-81fc-5246e3e7c596	shop_events.ItemRemoved	{"sku": "SKU-HS-008", "reason": null}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "edea376c-d7e2-4749-ad84-09aa2ad6b762"}	2025-03-14 09:32:42.092161	6
29	8	63cbd994-1667-479a-8f04-66129ff1bb30	shop_events.ItemAdded	{"product": {"sku": "SKU-MS-002", "name": "Wireless mouse", "attributes": {"colour": "graphite"}}, "quantity": 1, "unit_price": {"amount": "24.99", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "222df6dc-e4b7-4efe-b907-1d09b357f615"}	2025-03-14 09:33:03.670039	6
30	6	0957ea0f-dd1a-4850-a7f7-8cbb7e07b4d5	shop_events.ItemAdded	{"product": {"sku": "SKU-KB-001", "name": "Mechanical keyboard", "attributes": {"layout": "ISO-DE", "switch": "brown"}}, "quantity": 1, "unit_price": {"amount": "89.90", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "bob@example.com"}}, "causation_id": null, "correlation_id": "0cb5c32a-7a97-4c6b-a1d3-2b3860e22d7b"}	2025-03-14 09:33:09.560171	3
31	9	ed0fd4c7-b83c-435b-8619-301252b9d901	shop_events.ItemQuantityChanged	{"sku": "SKU-MS-002", "new_quantity": 3, "old_quantity": 1}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "a6b61b7c-bb32-43b7-be9d-0088f98347b8"}	2025-03-14 09:33:47.34672	6
32	10	c0196758-d68e-469a-9202-60ef8a32b98b	shop_events.ItemAdded	{"product": {"sku": "SKU-CB-003", "name": "USB-C cable 2 m", "attributes": {}}, "quantity": 4, "unit_price": {"amount": "9.50", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "61c85332-6295-4e1c-9aa8-6ab76fcf6211"}	2025-03-14 09:34:17.018751	6
33	11	3bf44a68-2f98-497b-bf81-d7dc8e8e5df7	shop_events.ItemRemoved	{"sku": "SKU-KB-001", "reason": null}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "57c222b7-9920-447c-9374-55cc12313e41"}	2025-03-14 09:34:30.98942	6
34	12	634d350b-7c5b-40e5-93eb-216b7f8d49dd	shop_events.ItemAdded	{"product": {"sku": "SKU-MN-004", "name": "27\\" monitor", "attributes": {"panel": "IPS", "resolution": "2560x1440"}}, "quantity": 2, "unit_price": {"amount": "279.00", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "090d56ce-5341-4224-b259-a3183c591577"}	2025-03-14 09:34:58.802603	6
35	13	c2d7798f-5c1d-4ebb-94da-9ecddb14a9f5	shop_events.ItemQuantityChanged	{"sku": "SKU-MN-004", "new_quantity": 1, "old_quantity": 2}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "3b9f7479-317b-4a29-9ba7-09d16f3ed78d"}	2025-03-14 09:35:03.078257	6
36	14	facbbe16-ae01-40ea-8127-53b5780abfd0	shop_events.ItemAdded	{"product": {"sku": "SKU-CF-005", "name": "Café crème beans 1 kg 🛒", "attributes": {"origin": "Kraków roastery"}}, "quantity": 1, "unit_price": {"amount": "18.40", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "695c4ae9-2a1f-40a0-a65e-a7ee3e5a7594"}	2025-03-14 09:36:21.985638	6
37	15	b693c55a-902d-46aa-9454-feed17fbd2a1	shop_events.ItemQuantityChanged	{"sku": "SKU-CB-003", "new_quantity": 2, "old_quantity": 4}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "20f3cff0-d880-4659-919c-00451cb11173"}	2025-03-14 09:37:42.600571	6
38	16	a56e35ca-e0fa-4d1d-8481-e998176def94	shop_events.ItemAdded	{"product": {"sku": "SKU-HS-008", "name": "Headset", "attributes": {"anc": "true"}}, "quantity": 1, "unit_price": {"amount": "129.00", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "aaadad77-f15a-4c4f-bd36-22ec5bc25a46"}	2025-03-14 09:38:02.523521	6
39	17	9110703a-d7b7-4716-a5ef-fdfa7e5073a0	shop_events.ItemRemoved	{"sku": "SKU-LP-007", "reason": null}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "05286c62-53b5-470d-b31e-2c02c555057a"}	2025-03-14 09:38:17.056897	6
40	18	afb00405-9fb8-474a-8cc5-cb32673515ca	shop_events.ItemAdded	{"product": {"sku": "SKU-KB-001", "name": "Mechanical keyboard", "attributes": {"layout": "ISO-DE", "switch": "brown"}}, "quantity": 1, "unit_price": {"amount": "89.90", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "d51e2c2d-63bf-4ce0-84e5-f62375b8b072"}	2025-03-14 09:38:54.862848	6
41	19	cc4a2a00-3d0a-4bc4-8a83-5506a265b0fa	shop_events.ItemQuantityChanged	{"sku": "SKU-CF-005", "new_quantity": 3, "old_quantity": 1}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "2476a60f-e4e2-4abe-a61e-49429afcbc92"}	2025-03-14 09:40:21.484209	6
42	20	bcf4ab1f-522a-44ae-b23a-c14e82a87fa7	shop_events.ItemRemoved	{"sku": "SKU-MS-002", "reason": null}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "0268c3f0-7481-49df-ba10-a849530d5b9f"}	2025-03-14 09:40:57.388767	6
43	21	93b784e7-0e10-44b9-8f52-0db882733195	shop_events.ItemAdded	{"product": {"sku": "SKU-LP-007", "name": "Laptop stand", "attributes": {}}, "quantity": 1, "unit_price": {"amount": "39.95", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "36dfdfcd-2fa6-4d26-88e1-b35e0b5f02e2"}	2025-03-14 09:41:11.055743	6
44	22	ad229d5d-fa77-499e-901c-c55085f56603	shop_events.ShippingAddressSet	{"address": {"city": "Paris", "line1": "12 rue de la Paix", "line2": "Bâtiment B", "country": "FR", "postal_code": "75002"}, "delivery_window": {"end": "2025-03-16T12:30:00+01:00", "start": "2025-03-16T08:00:00+01:00"}}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "a6ecb63b-728b-4903-b5aa-6e5a4962d770"}	2025-03-14 09:41:39.164477	6
45	23	0dacf07c-0758-473e-a3de-b0981ad93cd2	shop_events.CouponApplied	{"code": "WELCOME-5", "discount": {"amount": "5.00", "currency": "EUR"}, "expires_at": "2025-12-31T23:59:59Z"}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "aae24253-f2b9-4099-81ac-a11a48827e11"}	2025-03-14 09:42:32.042275	6
46	24	6958382f-5b8a-4162-a45d-d67fe8c63f8a	shop_events.CartCheckedOut	{"lines": [{"sku": "SKU-DK-006", "quantity": 1, "unit_price": "499.00"}, {"sku": "SKU-CB-003", "quantity": 2, "unit_price": "9.50"}, {"sku": "SKU-MN-004", "quantity": 1, "unit_price": "279.00"}, {"sku": "SKU-CF-005", "quantity": 3, "unit_price": "18.40"}, {"sku": "SKU-HS-008", "quantity": 1, "unit_price": "129.00"}, {"sku": "SKU-KB-001", "quantity": 1, "unit_price": "89.90"}, {"sku": "SKU-LP-007", "quantity": 1, "unit_price": "39.95"}], "total": {"amount": "1106.05", "currency": "EUR"}, "cart_id": "0f4bdfd9-1591-5d2e-a768-3d2f8ecfc901", "order_id": "f591c809-c4ca-4bb7-8bfc-32c4ae2fbf04", "item_count": 10}	{"components": {"actor": {"channel": "web", "user_id": "chloe@example.com"}}, "causation_id": null, "correlation_id": "521cbcaf-eeda-4def-8042-5736b28ea982"}	2025-03-14 09:42:39.631306	6
47	1	ce6c0060-5ca3-4ecb-b5d3-abbccf23f3e9	shop_events.OrderPlaced	{"lines": [{"sku": "SKU-DK-006", "quantity": 1, "unit_price": "499.00"}, {"sku": "SKU-CB-003", "quantity": 2, "unit_price": "9.50"}, {"sku": "SKU-MN-004", "quantity": 1, "unit_price": "279.00"}, {"sku": "SKU-CF-005", "quantity": 3, "unit_price": "18.40"}, {"sku": "SKU-HS-008", "quantity": 1, "unit_price": "129.00"}, {"sku": "SKU-KB-001", "quantity": 1, "unit_price": "89.90"}, {"sku": "SKU-LP-007", "quantity": 1, "unit_price": "39.95"}], "total": {"amount": "1106.05", "currency": "EUR"}, "cart_id": "0f4bdfd9-1591-5d2e-a768-3d2f8ecfc901", "order_id": "f591c809-c4ca-4bb7-8bfc-32c4ae2fbf04", "placed_at": "2025-03-14T09:42:39.631306Z", "customer_id": "5ba68dd7-a280-4d1d-9057-e02036f41959", "order_number": "SO-1003", "shipping_address": {"city": "Paris", "line1": "12 rue de la Paix", "line2": "Bâtiment B", "country": "FR", "postal_code": "75002"}}	{"components": {"actor": {"channel": "internal", "user_id": "system:order-service"}}, "causation_id": "6958382f-5b8a-4162-a45d-d67fe8c63f8a", "correlation_id": "521cbcaf-eeda-4def-8042-5736b28ea982"}	2025-03-14 09:43:56.945957	7
48	1	9f0146fd-64ee-4eeb-b33a-dd73bca8b250	payments.PaymentRequested	{"amount": {"amount": "1106.05", "currency": "EUR"}, "method": {"card": {"brand": "visa", "last4": "4242", "expires": "2027-08"}, "type": "card"}, "order_id": "f591c809-c4ca-4bb7-8bfc-32c4ae2fbf04"}	{"components": {"actor": {"channel": "internal", "user_id": "system:payment-service"}}, "causation_id": "ce6c0060-5ca3-4ecb-b5d3-abbccf23f3e9", "correlation_id": "521cbcaf-eeda-4def-8042-5736b28ea982"}	2025-03-14 09:45:02.706763	8
49	7	cc2dce8e-6bdb-4846-bf0a-dbc1dfb5f896	shop_events.CartAbandoned	{"reminder_sent": true, "last_activity_at": "2025-03-14T07:45:02.706763"}	{"causation_id": null, "correlation_id": null}	2025-03-14 09:45:45.866789	3
50	2	de5500f4-c404-4910-a37b-927f43d2cbd7	payments.PaymentAuthorized	{"amount": {"amount": "145.20", "currency": "EUR"}, "risk_score": 0.30000000000000004, "authorization_code": "AUTH-589434"}	{"components": {"actor": {"channel": "internal", "user_id": "system:psp-gateway"}}, "causation_id": "352a92fb-7853-44f5-be5f-376f6a34659d", "correlation_id": "ccd2dff8-9165-4f01-83df-d84fb8e8d398"}	2025-03-14 09:47:46.676956	5
51	3	c41c4e89-d340-47f1-8d97-b31d7eeda00a	payments.PaymentCaptured	{"fee": "0.35", "amount": {"amount": "145.20", "currency": "EUR"}}	{"components": {"actor": {"channel": "internal", "user_id": "system:psp-gateway"}}, "causation_id": "de5500f4-c404-4910-a37b-927f43d2cbd7", "correlation_id": "ccd2dff8-9165-4f01-83df-d84fb8e8d398"}	2025-03-14 09:49:01.655959	5
52	2	89a6f0c9-615a-478e-b3ec-8db340f9beff	payments.PaymentDeclined	{"message": "Karte abgelehnt – bitte andere Zahlungsart wählen", "retryable": true, "decline_code": "insufficient_funds"}	{"components": {"actor": {"channel": "internal", "user_id": "system:psp-gateway"}}, "causation_id": "9f0146fd-64ee-4eeb-b33a-dd73bca8b250", "correlation_id": "521cbcaf-eeda-4def-8042-5736b28ea982"}	2025-03-14 09:50:21.202992	8
53	3	9409ea9c-fe04-4aa5-830b-dddb8ffe7464	payments.PaymentAuthorized	{"amount": {"amount": "1106.05", "currency": "EUR"}, "risk_score": 0.30000000000000004, "authorization_code": "AUTH-380598"}	{"components": {"actor": {"channel": "internal", "user_id": "system:psp-gateway"}}, "causation_id": "89a6f0c9-615a-478e-b3ec-8db340f9beff", "correlation_id": "521cbcaf-eeda-4def-8042-5736b28ea982"}	2025-03-14 09:51:14.682878	8
54	4	01e7f490-e281-4dd3-89af-506a4a74c286	payments.PaymentCaptured	{"fee": "0.35", "amount": {"amount": "1106.05", "currency": "EUR"}}	{"components": {"actor": {"channel": "internal", "user_id": "system:psp-gateway"}}, "causation_id": "9409ea9c-fe04-4aa5-830b-dddb8ffe7464", "correlation_id": "521cbcaf-eeda-4def-8042-5736b28ea982"}	2025-03-14 09:52:20.448341	8
55	2	5621f306-fec4-4d6b-a94f-1959b177ea71	shop_events.OrderPaid	{"amount": {"amount": "145.20", "currency": "EUR"}, "payment_stream": "payment-SO-1001"}	{"components": {"actor": {"channel": "internal", "user_id": "system:order-service"}}, "causation_id": "c41c4e89-d340-47f1-8d97-b31d7eeda00a", "correlation_id": "ccd2dff8-9165-4f01-83df-d84fb8e8d398"}	2025-03-14 09:52:51.410102	4
56	3	9cc6541d-b7f7-49fc-b539-351a09842a7e	shop_events.OrderShipped	{"carrier": "DHL", "parcels": [{"weight_kg": "1.250", "dimensions_cm": {"h": 12, "l": 40, "w": 30}}, {"weight_kg": "0.4", "dimensions_cm": {"h": 5, "l": 20, "w": 15}}], "tracking_number": "JJD895898974661245370"}	{"components": {"actor": {"channel": "internal", "user_id": "warehouse:wro-1"}}, "causation_id": "5621f306-fec4-4d6b-a94f-1959b177ea71", "correlation_id": "ccd2dff8-9165-4f01-83df-d84fb8e8d398"}	2025-03-14 14:53:53.301306	4
57	4	414650ac-1ac1-4bb3-8b93-8b07f74b851d	shop_events.OrderDelivered	{"signed_by": "M. Kowalska", "delivered_at": "2025-03-15T17:53:53.301306Z"}	{"components": {"actor": {"channel": "internal", "user_id": "carrier:dhl"}}, "causation_id": "9cc6541d-b7f7-49fc-b539-351a09842a7e", "correlation_id": "ccd2dff8-9165-4f01-83df-d84fb8e8d398"}	2025-03-15 17:55:00.751724	4
58	\N	bb592693-db32-432a-b1cf-45e0a533b8ff	shop_events.PriceChanged	{"sku": "SKU-MN-004", "new_price": "259.99", "old_price": "279.00", "effective_at": "2025-03-20T00:00:00Z"}	{"causation_id": null, "correlation_id": null}	2025-03-15 17:56:09.317699	1
59	\N	89377d78-3cd6-4229-afb9-18c8469b3969	shop_events.CustomerSignedIn	{"ip": "2001:db8::42", "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/136.0", "customer_id": "5ba68dd7-a280-4d1d-9057-e02036f41959"}	{"causation_id": null, "correlation_id": null}	2025-03-15 17:57:28.024091	1
60	2	9d2890b1-69ec-463a-8be8-4bdbe2190620	shop_events.OrderPaid	{"amount": {"amount": "1106.05", "currency": "EUR"}, "payment_stream": "payment-SO-1003"}	{"components": {"actor": {"channel": "internal", "user_id": "system:order-service"}}, "causation_id": "01e7f490-e281-4dd3-89af-506a4a74c286", "correlation_id": "521cbcaf-eeda-4def-8042-5736b28ea982"}	2025-03-15 17:58:26.48071	7
61	3	348e7b06-3516-4ab8-8eb7-44c36da25130	shop_events.OrderShipped	{"carrier": "DHL", "parcels": [{"weight_kg": "1.250", "dimensions_cm": {"h": 12, "l": 40, "w": 30}}, {"weight_kg": "0.4", "dimensions_cm": {"h": 5, "l": 20, "w": 15}}], "tracking_number": "JJD696842192089649187"}	{"components": {"actor": {"channel": "internal", "user_id": "warehouse:wro-1"}}, "causation_id": "9d2890b1-69ec-463a-8be8-4bdbe2190620", "correlation_id": "521cbcaf-eeda-4def-8042-5736b28ea982"}	2025-03-15 22:58:59.061104	7
62	1	9ce80742-b0ef-49f0-83f1-738b1996430f	shop_events.CartCreated	{"cart_id": "4ca9d93f-a8d0-5635-9c27-690bdbf42e0c", "channel": "web", "currency": "EUR", "customer": {"id": "0ef519ec-7d02-4ffe-8b8a-cc079f7fce21", "email": "dana@acme.test", "display_name": "Dana Acme", "loyalty_tier": null}}	{"components": {"actor": {"channel": "web", "user_id": "dana@acme.test"}}, "causation_id": null, "correlation_id": "4b024dea-2f48-4bba-ae79-7367e6fdaa55"}	2025-03-16 00:59:49.677864	9
63	\N	5696921b-f49a-4baf-aa60-4f096376a34c	shop_events.WebhookReceived	{"headers": {"X-Signature": "sha256=9f86d0"}, "payload": {"big": 9007199254740993, "sku": "SKU-DK-006", "type": "stock.updated", "on_hand": 3}, "provider": "erp", "delivery_id": "whk_01"}	{"causation_id": null, "correlation_id": null}	2025-03-16 01:00:40.525037	10
64	2	c140a484-7f1b-44be-a1a9-dbcb63e155de	shop_events.ItemAdded	{"product": {"sku": "SKU-DK-006", "name": "Standing desk", "attributes": {"width_cm": "160"}}, "quantity": 1, "unit_price": {"amount": "499.00", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "dana@acme.test"}}, "causation_id": null, "correlation_id": "711ac890-55d5-411e-bcfd-0a80d95fba31"}	2025-03-16 01:01:15.094722	9
65	3	cc1558ef-c06e-4b67-af6a-d8b67472e2ff	shop_events.ItemAdded	{"product": {"sku": "SKU-LP-007", "name": "Laptop stand", "attributes": {}}, "quantity": 1, "unit_price": {"amount": "39.95", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "dana@acme.test"}}, "causation_id": null, "correlation_id": "711ac890-55d5-411e-bcfd-0a80d95fba31"}	2025-03-16 01:02:42.960569	9
66	4	b4bb6b5a-104b-452f-93dc-37b18906293d	shop_events.ItemAdded	{"product": {"sku": "SKU-HS-008", "name": "Headset", "attributes": {"anc": "true"}}, "quantity": 2, "unit_price": {"amount": "129.00", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "dana@acme.test"}}, "causation_id": null, "correlation_id": "93ff2cb7-a314-4f68-838a-93fdd5d69e1b"}	2025-03-16 01:03:39.957978	9
67	5	33ea9e85-37db-4883-9a41-df2770ff1c9e	shop_events.ItemQuantityChanged	{"sku": "SKU-HS-008", "new_quantity": 1, "old_quantity": 2}	{"components": {"actor": {"channel": "web", "user_id": "dana@acme.test"}}, "causation_id": null, "correlation_id": "ee906936-c3c7-4792-a66f-c061605de8ef"}	2025-03-16 01:04:17.924095	9
68	6	9a513aca-a5d5-454b-ba3f-bde4070cc8de	shop_events.ItemRemoved	{"sku": "SKU-LP-007", "reason": null}	{"components": {"actor": {"channel": "web", "user_id": "dana@acme.test"}}, "causation_id": null, "correlation_id": "06135c3d-9bc8-4f3a-a40d-8cf11184ce4f"}	2025-03-16 01:04:32.314602	9
69	7	54bee015-3136-43c7-9581-a9380013800a	shop_events.ShippingAddressSet	{"address": {"city": "Springfield", "line1": "1 Acme Way", "line2": null, "country": "US", "postal_code": "12345"}, "delivery_window": {"end": "2025-03-18T12:30:00+01:00", "start": "2025-03-18T08:00:00+01:00"}}	{"components": {"actor": {"channel": "web", "user_id": "dana@acme.test"}}, "causation_id": null, "correlation_id": "a5dffc75-dc79-45be-8013-60eb86853713"}	2025-03-16 01:05:35.711911	9
70	1	38c6a4b6-41dc-4217-bd50-000c5fe92305	shop_events.CartCreated	{"cart_id": "d9b7a3c4-4107-4ac5-8b57-a343f0e5349d", "channel": "web", "currency": "EUR", "customer": {"id": "117b86a0-c2d2-446a-b2a9-20ac45a37935", "email": "eli@acme.test", "display_name": "Eli Acme", "loyalty_tier": "bronze"}}	{"components": {"actor": {"channel": "web", "user_id": "eli@acme.test"}}, "causation_id": null, "correlation_id": "ef5830e4-cb1c-45ad-85d1-174f806437d6"}	2025-03-16 01:06:40.087813	11
71	8	27810ee5-3edc-4011-9be1-160da8394e53	shop_events.CartCheckedOut	{"lines": [{"sku": "SKU-DK-006", "quantity": 1, "unit_price": "499.00"}, {"sku": "SKU-HS-008", "quantity": 1, "unit_price": "129.00"}], "total": {"amount": "628.00", "currency": "EUR"}, "cart_id": "4ca9d93f-a8d0-5635-9c27-690bdbf42e0c", "order_id": "3ee9c84b-eb2f-41c6-94ac-ac3532b6b798", "item_count": 2}	{"components": {"actor": {"channel": "web", "user_id": "dana@acme.test"}}, "causation_id": null, "correlation_id": "84c00ac1-263b-4505-af23-ce8237b0e485"}	2025-03-16 01:06:49.92902	9
72	1	ee5dcbec-741e-48d6-9d21-6056da9ce5cb	shop_events.OrderPlaced	{"lines": [{"sku": "SKU-DK-006", "quantity": 1, "unit_price": "499.00"}, {"sku": "SKU-HS-008", "quantity": 1, "unit_price": "129.00"}], "total": {"amount": "628.00", "currency": "EUR"}, "cart_id": "4ca9d93f-a8d0-5635-9c27-690bdbf42e0c", "order_id": "3ee9c84b-eb2f-41c6-94ac-ac3532b6b798", "placed_at": "2025-03-16T01:06:49.929020Z", "customer_id": "0ef519ec-7d02-4ffe-8b8a-cc079f7fce21", "order_number": "AC-0001", "shipping_address": {"city": "Springfield", "line1": "1 Acme Way", "line2": null, "country": "US", "postal_code": "12345"}}	{"components": {"actor": {"channel": "internal", "user_id": "system:order-service"}}, "causation_id": "27810ee5-3edc-4011-9be1-160da8394e53", "correlation_id": "84c00ac1-263b-4505-af23-ce8237b0e485"}	2025-03-16 01:07:03.473163	12
73	1	7429bca9-c1a2-4f87-88ee-4058217143f7	payments.PaymentRequested	{"amount": {"amount": "628.00", "currency": "EUR"}, "method": {"card": {"brand": "visa", "last4": "4242", "expires": "2027-08"}, "type": "card"}, "order_id": "3ee9c84b-eb2f-41c6-94ac-ac3532b6b798"}	{"components": {"actor": {"channel": "internal", "user_id": "system:payment-service"}}, "causation_id": "ee5dcbec-741e-48d6-9d21-6056da9ce5cb", "correlation_id": "84c00ac1-263b-4505-af23-ce8237b0e485"}	2025-03-16 01:08:25.119866	13
74	2	064af9cd-43f8-4a60-8ba9-66b85d5f0311	shop_events.ItemAdded	{"product": {"sku": "SKU-CB-003", "name": "USB-C cable 2 m", "attributes": {}}, "quantity": 5, "unit_price": {"amount": "9.50", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "eli@acme.test"}}, "causation_id": null, "correlation_id": "1d368e1c-b088-4c7c-bb58-d4b423f1f0c0"}	2025-03-16 01:09:16.901139	11
75	3	957dbc06-65d9-4ddf-a14c-a08f29fd577c	shop_events.ItemAdded	{"product": {"sku": "SKU-MS-002", "name": "Wireless mouse", "attributes": {"colour": "graphite"}}, "quantity": 1, "unit_price": {"amount": "24.99", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "eli@acme.test"}}, "causation_id": null, "correlation_id": "1d368e1c-b088-4c7c-bb58-d4b423f1f0c0"}	2025-03-16 01:09:37.828599	11
76	4	cc9fb577-cd61-411b-98e2-32fe447b3e30	shop_events.ItemAdded	{"product": {"sku": "SKU-KB-001", "name": "Mechanical keyboard", "attributes": {"layout": "ISO-DE", "switch": "brown"}}, "quantity": 1, "unit_price": {"amount": "89.90", "currency": "EUR"}}	{"components": {"actor": {"channel": "web", "user_id": "eli@acme.test"}}, "causation_id": null, "correlation_id": "1d368e1c-b088-4c7c-bb58-d4b423f1f0c0"}	2025-03-16 01:10:08.713445	11
77	\N	a1c50fe7-e669-45bd-a08c-f08bb36121a9	shop_events.WebhookReceived	{"headers": {"Content-Type": "application/json"}, "payload": {"event": "charge.failed", "amount": 52899, "nested": {"reason": {"code": "do_not_honor"}}}, "provider": "psp", "delivery_id": "whk_02"}	{"causation_id": null, "correlation_id": null}	2025-03-16 01:10:37.719162	10
78	5	52be8372-a1b9-4e56-922f-8a1755dffe13	shop_events.ItemQuantityChanged	{"sku": "SKU-CB-003", "new_quantity": 3, "old_quantity": 5}	{"components": {"actor": {"channel": "web", "user_id": "eli@acme.test"}}, "causation_id": null, "correlation_id": "d466db85-11e4-4f87-b15f-99d493cb79e1"}	2025-03-16 01:11:40.61822	11
79	6	e6e27bf8-2584-4441-94f0-187fef7bb482	shop_events.CartCheckedOut	{"lines": [{"sku": "SKU-CB-003", "quantity": 3, "unit_price": "9.50"}, {"sku": "SKU-MS-002", "quantity": 1, "unit_price": "24.99"}, {"sku": "SKU-KB-001", "quantity": 1, "unit_price": "89.90"}], "total": {"amount": "143.39", "currency": "EUR"}, "cart_id": "d9b7a3c4-4107-4ac5-8b57-a343f0e5349d", "order_id": "e97f3dec-03bf-46c2-8fbb-325910bcea44", "item_count": 5}	{"components": {"actor": {"channel": "web", "user_id": "eli@acme.test"}}, "causation_id": null, "correlation_id": "aebf2f3d-f3c2-4679-85b4-d8420a3a1dff"}	2025-03-16 01:12:53.601249	11
80	1	1b295dfd-9c9e-45c0-a400-634f953a281f	shop_events.OrderPlaced	{"lines": [{"sku": "SKU-CB-003", "quantity": 3, "unit_price": "9.50"}, {"sku": "SKU-MS-002", "quantity": 1, "unit_price": "24.99"}, {"sku": "SKU-KB-001", "quantity": 1, "unit_price": "89.90"}], "total": {"amount": "143.39", "currency": "EUR"}, "cart_id": "d9b7a3c4-4107-4ac5-8b57-a343f0e5349d", "order_id": "e97f3dec-03bf-46c2-8fbb-325910bcea44", "placed_at": "2025-03-16T01:12:53.601249Z", "customer_id": "117b86a0-c2d2-446a-b2a9-20ac45a37935", "order_number": "AC-0002", "shipping_address": null}	{"components": {"actor": {"channel": "internal", "user_id": "system:order-service"}}, "causation_id": "e6e27bf8-2584-4441-94f0-187fef7bb482", "correlation_id": "aebf2f3d-f3c2-4679-85b4-d8420a3a1dff"}	2025-03-16 01:14:22.563805	14
81	1	738e1e6a-dbd2-40a6-9dad-9ff519b0f083	payments.PaymentRequested	{"amount": {"amount": "143.39", "currency": "EUR"}, "method": {"card": null, "type": "blik"}, "order_id": "e97f3dec-03bf-46c2-8fbb-325910bcea44"}	{"components": {"actor": {"channel": "internal", "user_id": "system:payment-service"}}, "causation_id": "1b295dfd-9c9e-45c0-a400-634f953a281f", "correlation_id": "aebf2f3d-f3c2-4679-85b4-d8420a3a1dff"}	2025-03-16 01:14:50.830458	15
82	2	cc8af3a3-9910-4c4f-a14c-10d2c35f2d69	payments.PaymentDeclined	{"message": "Karte abgelehnt – bitte andere Zahlungsart wählen", "retryable": false, "decline_code": "do_not_honor"}	{"components": {"actor": {"channel": "internal", "user_id": "system:psp-gateway"}}, "causation_id": "7429bca9-c1a2-4f87-88ee-4058217143f7", "correlation_id": "84c00ac1-263b-4505-af23-ce8237b0e485"}	2025-03-16 01:16:08.821655	13
83	2	b96c3ff8-69bc-44d9-b962-87bbc5e1d31f	shop_events.OrderCancelled	{"reason": "payment declined", "refund": null}	{"components": {"actor": {"channel": "internal", "user_id": "system:order-service"}}, "causation_id": "cc8af3a3-9910-4c4f-a14c-10d2c35f2d69", "correlation_id": "84c00ac1-263b-4505-af23-ce8237b0e485"}	2025-03-16 01:16:34.000006	12
84	2	a5f77294-94a6-44e4-bc87-e8a298a4030f	payments.PaymentAuthorized	{"amount": {"amount": "143.39", "currency": "EUR"}, "risk_score": 0.30000000000000004, "authorization_code": "AUTH-171805"}	{"components": {"actor": {"channel": "internal", "user_id": "system:psp-gateway"}}, "causation_id": "738e1e6a-dbd2-40a6-9dad-9ff519b0f083", "correlation_id": "aebf2f3d-f3c2-4679-85b4-d8420a3a1dff"}	2025-03-16 01:18:09.875314	15
85	3	34266007-9229-40e6-b88a-700659b7c2e8	payments.PaymentCaptured	{"fee": "0.35", "amount": {"amount": "143.39", "currency": "EUR"}}	{"components": {"actor": {"channel": "internal", "user_id": "system:psp-gateway"}}, "causation_id": "a5f77294-94a6-44e4-bc87-e8a298a4030f", "correlation_id": "aebf2f3d-f3c2-4679-85b4-d8420a3a1dff"}	2025-03-16 01:18:53.922353	15
86	2	992f4888-3277-41d8-ab52-2f593eda3f04	shop_events.OrderPaid	{"amount": {"amount": "143.39", "currency": "EUR"}, "payment_stream": "payment-AC-0002"}	{"components": {"actor": {"channel": "internal", "user_id": "system:order-service"}}, "causation_id": "34266007-9229-40e6-b88a-700659b7c2e8", "correlation_id": "aebf2f3d-f3c2-4679-85b4-d8420a3a1dff"}	2025-03-16 01:20:18.328172	14
87	3	1f75c4fd-a20d-4db3-af05-4ca9e267e0ea	shop_events.OrderShipped	{"carrier": "DHL", "parcels": [{"weight_kg": "1.250", "dimensions_cm": {"h": 12, "l": 40, "w": 30}}, {"weight_kg": "0.4", "dimensions_cm": {"h": 5, "l": 20, "w": 15}}], "tracking_number": "JJD940852911509134824"}	{"components": {"actor": {"channel": "internal", "user_id": "warehouse:wro-1"}}, "causation_id": "992f4888-3277-41d8-ab52-2f593eda3f04", "correlation_id": "aebf2f3d-f3c2-4679-85b4-d8420a3a1dff"}	2025-03-16 06:20:46.740885	14
88	4	7320ba02-a2d6-41dd-aaec-c144a7234fdd	shop_events.OrderDelivered	{"signed_by": "M. Kowalska", "delivered_at": "2025-03-17T09:20:46.740885Z"}	{"components": {"actor": {"channel": "internal", "user_id": "carrier:dhl"}}, "causation_id": "1f75c4fd-a20d-4db3-af05-4ca9e267e0ea", "correlation_id": "aebf2f3d-f3c2-4679-85b4-d8420a3a1dff"}	2025-03-17 09:21:05.193009	14
89	\N	5d810df5-cea7-47cf-bc6a-0f483158646a	shop_events.WebhookReceived	{"headers": {}, "payload": {"at": "2025-03-17T09:15:05Z", "status": "in_transit"}, "provider": "carrier", "delivery_id": "whk_03"}	{"causation_id": null, "correlation_id": null}	2025-03-17 09:21:57.927327	10
90	\N	1818527e-7765-4a4a-9179-e9cf872acb87	shop_events.WebhookReceived	{"headers": {}, "payload": {"at": "2025-03-17T09:16:57Z", "status": "out_for_delivery"}, "provider": "carrier", "delivery_id": "whk_04"}	{"causation_id": null, "correlation_id": null}	2025-03-17 09:22:30.355495	10
91	\N	ba79b1b7-8e0a-48b7-b3a6-47c20e263724	shop_events.WebhookReceived	{"headers": {}, "payload": {"at": "2025-03-17T09:18:30Z", "status": "delivered"}, "provider": "carrier", "delivery_id": "whk_05"}	{"causation_id": null, "correlation_id": null}	2025-03-17 09:22:57.020423	10
92	\N	8b331216-ea88-44dd-a044-6c9321e4da8a	shop_events.WebhookReceived	{"headers": {}, "payload": {"at": "2025-03-17T09:19:57Z", "status": "delivered"}, "provider": "carrier", "delivery_id": "whk_06"}	{"causation_id": null, "correlation_id": null}	2025-03-17 09:23:52.339767	10
\.


--
-- Data for Name: event_sourcery_outbox_entries; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.event_sourcery_outbox_entries (id, created_at, data, stream_name, "position", tries_left) FROM stdin;
13	2025-03-14 14:53:53.308306	{"data": {"carrier": "DHL", "parcels": [{"weight_kg": "1.250", "dimensions_cm": {"h": 12, "l": 40, "w": 30}}, {"weight_kg": "0.4", "dimensions_cm": {"h": 5, "l": 20, "w": 15}}], "tracking_number": "JJD895898974661245370"}, "name": "shop_events.OrderShipped", "uuid": "9cc6541d-b7f7-49fc-b539-351a09842a7e", "context": {"components": {"actor": {"channel": "internal", "user_id": "warehouse:wro-1"}}, "causation_id": "5621f306-fec4-4d6b-a94f-1959b177ea71", "correlation_id": "ccd2dff8-9165-4f01-83df-d84fb8e8d398"}, "version": 3, "stream_id": "770360b1-5061-4304-86aa-236d1a4c3d2e", "tenant_id": "", "created_at": "2025-03-14T14:53:53.301306"}	\N	56	0
14	2025-03-15 17:55:00.758724	{"data": {"signed_by": "M. Kowalska", "delivered_at": "2025-03-15T17:53:53.301306Z"}, "name": "shop_events.OrderDelivered", "uuid": "414650ac-1ac1-4bb3-8b93-8b07f74b851d", "context": {"components": {"actor": {"channel": "internal", "user_id": "carrier:dhl"}}, "causation_id": "9cc6541d-b7f7-49fc-b539-351a09842a7e", "correlation_id": "ccd2dff8-9165-4f01-83df-d84fb8e8d398"}, "version": 4, "stream_id": "770360b1-5061-4304-86aa-236d1a4c3d2e", "tenant_id": "", "created_at": "2025-03-15T17:55:00.751724"}	\N	57	2
15	2025-03-15 17:58:26.48771	{"data": {"amount": {"amount": "1106.05", "currency": "EUR"}, "payment_stream": "payment-SO-1003"}, "name": "shop_events.OrderPaid", "uuid": "9d2890b1-69ec-463a-8be8-4bdbe2190620", "context": {"components": {"actor": {"channel": "internal", "user_id": "system:order-service"}}, "causation_id": "01e7f490-e281-4dd3-89af-506a4a74c286", "correlation_id": "521cbcaf-eeda-4def-8042-5736b28ea982"}, "version": 2, "stream_id": "f591c809-c4ca-4bb7-8bfc-32c4ae2fbf04", "tenant_id": "", "created_at": "2025-03-15T17:58:26.480710"}	\N	60	2
16	2025-03-15 22:58:59.068104	{"data": {"carrier": "DHL", "parcels": [{"weight_kg": "1.250", "dimensions_cm": {"h": 12, "l": 40, "w": 30}}, {"weight_kg": "0.4", "dimensions_cm": {"h": 5, "l": 20, "w": 15}}], "tracking_number": "JJD696842192089649187"}, "name": "shop_events.OrderShipped", "uuid": "348e7b06-3516-4ab8-8eb7-44c36da25130", "context": {"components": {"actor": {"channel": "internal", "user_id": "warehouse:wro-1"}}, "causation_id": "9d2890b1-69ec-463a-8be8-4bdbe2190620", "correlation_id": "521cbcaf-eeda-4def-8042-5736b28ea982"}, "version": 3, "stream_id": "f591c809-c4ca-4bb7-8bfc-32c4ae2fbf04", "tenant_id": "", "created_at": "2025-03-15T22:58:59.061104"}	\N	61	3
17	2025-03-16 01:06:49.93602	{"data": {"lines": [{"sku": "SKU-DK-006", "quantity": 1, "unit_price": "499.00"}, {"sku": "SKU-HS-008", "quantity": 1, "unit_price": "129.00"}], "total": {"amount": "628.00", "currency": "EUR"}, "cart_id": "4ca9d93f-a8d0-5635-9c27-690bdbf42e0c", "order_id": "3ee9c84b-eb2f-41c6-94ac-ac3532b6b798", "item_count": 2}, "name": "shop_events.CartCheckedOut", "uuid": "27810ee5-3edc-4011-9be1-160da8394e53", "context": {"components": {"actor": {"channel": "web", "user_id": "dana@acme.test"}}, "causation_id": null, "correlation_id": "84c00ac1-263b-4505-af23-ce8237b0e485"}, "version": 8, "stream_id": "4ca9d93f-a8d0-5635-9c27-690bdbf42e0c", "tenant_id": "acme", "created_at": "2025-03-16T01:06:49.929020"}	cart-1001	71	3
18	2025-03-16 01:07:03.480163	{"data": {"lines": [{"sku": "SKU-DK-006", "quantity": 1, "unit_price": "499.00"}, {"sku": "SKU-HS-008", "quantity": 1, "unit_price": "129.00"}], "total": {"amount": "628.00", "currency": "EUR"}, "cart_id": "4ca9d93f-a8d0-5635-9c27-690bdbf42e0c", "order_id": "3ee9c84b-eb2f-41c6-94ac-ac3532b6b798", "placed_at": "2025-03-16T01:06:49.929020Z", "customer_id": "0ef519ec-7d02-4ffe-8b8a-cc079f7fce21", "order_number": "AC-0001", "shipping_address": {"city": "Springfield", "line1": "1 Acme Way", "line2": null, "country": "US", "postal_code": "12345"}}, "name": "shop_events.OrderPlaced", "uuid": "ee5dcbec-741e-48d6-9d21-6056da9ce5cb", "context": {"components": {"actor": {"channel": "internal", "user_id": "system:order-service"}}, "causation_id": "27810ee5-3edc-4011-9be1-160da8394e53", "correlation_id": "84c00ac1-263b-4505-af23-ce8237b0e485"}, "version": 1, "stream_id": "3ee9c84b-eb2f-41c6-94ac-ac3532b6b798", "tenant_id": "acme", "created_at": "2025-03-16T01:07:03.473163"}	\N	72	3
19	2025-03-16 01:08:25.126866	{"data": {"amount": {"amount": "628.00", "currency": "EUR"}, "method": {"card": {"brand": "visa", "last4": "4242", "expires": "2027-08"}, "type": "card"}, "order_id": "3ee9c84b-eb2f-41c6-94ac-ac3532b6b798"}, "name": "payments.PaymentRequested", "uuid": "7429bca9-c1a2-4f87-88ee-4058217143f7", "context": {"components": {"actor": {"channel": "internal", "user_id": "system:payment-service"}}, "causation_id": "ee5dcbec-741e-48d6-9d21-6056da9ce5cb", "correlation_id": "84c00ac1-263b-4505-af23-ce8237b0e485"}, "version": 1, "stream_id": "f1df5efa-7a88-5732-b48a-52d25f2a1b3e", "tenant_id": "acme", "created_at": "2025-03-16T01:08:25.119866"}	payment-AC-0001	73	3
20	2025-03-16 01:12:53.608249	{"data": {"lines": [{"sku": "SKU-CB-003", "quantity": 3, "unit_price": "9.50"}, {"sku": "SKU-MS-002", "quantity": 1, "unit_price": "24.99"}, {"sku": "SKU-KB-001", "quantity": 1, "unit_price": "89.90"}], "total": {"amount": "143.39", "currency": "EUR"}, "cart_id": "d9b7a3c4-4107-4ac5-8b57-a343f0e5349d", "order_id": "e97f3dec-03bf-46c2-8fbb-325910bcea44", "item_count": 5}, "name": "shop_events.CartCheckedOut", "uuid": "e6e27bf8-2584-4441-94f0-187fef7bb482", "context": {"components": {"actor": {"channel": "web", "user_id": "eli@acme.test"}}, "causation_id": null, "correlation_id": "aebf2f3d-f3c2-4679-85b4-d8420a3a1dff"}, "version": 6, "stream_id": "d9b7a3c4-4107-4ac5-8b57-a343f0e5349d", "tenant_id": "acme", "created_at": "2025-03-16T01:12:53.601249"}	\N	79	3
21	2025-03-16 01:14:22.570805	{"data": {"lines": [{"sku": "SKU-CB-003", "quantity": 3, "unit_price": "9.50"}, {"sku": "SKU-MS-002", "quantity": 1, "unit_price": "24.99"}, {"sku": "SKU-KB-001", "quantity": 1, "unit_price": "89.90"}], "total": {"amount": "143.39", "currency": "EUR"}, "cart_id": "d9b7a3c4-4107-4ac5-8b57-a343f0e5349d", "order_id": "e97f3dec-03bf-46c2-8fbb-325910bcea44", "placed_at": "2025-03-16T01:12:53.601249Z", "customer_id": "117b86a0-c2d2-446a-b2a9-20ac45a37935", "order_number": "AC-0002", "shipping_address": null}, "name": "shop_events.OrderPlaced", "uuid": "1b295dfd-9c9e-45c0-a400-634f953a281f", "context": {"components": {"actor": {"channel": "internal", "user_id": "system:order-service"}}, "causation_id": "e6e27bf8-2584-4441-94f0-187fef7bb482", "correlation_id": "aebf2f3d-f3c2-4679-85b4-d8420a3a1dff"}, "version": 1, "stream_id": "e97f3dec-03bf-46c2-8fbb-325910bcea44", "tenant_id": "acme", "created_at": "2025-03-16T01:14:22.563805"}	\N	80	3
22	2025-03-16 01:14:50.837458	{"data": {"amount": {"amount": "143.39", "currency": "EUR"}, "method": {"card": null, "type": "blik"}, "order_id": "e97f3dec-03bf-46c2-8fbb-325910bcea44"}, "name": "payments.PaymentRequested", "uuid": "738e1e6a-dbd2-40a6-9dad-9ff519b0f083", "context": {"components": {"actor": {"channel": "internal", "user_id": "system:payment-service"}}, "causation_id": "1b295dfd-9c9e-45c0-a400-634f953a281f", "correlation_id": "aebf2f3d-f3c2-4679-85b4-d8420a3a1dff"}, "version": 1, "stream_id": "55371d32-6da0-5c6b-933c-2a8e59618864", "tenant_id": "acme", "created_at": "2025-03-16T01:14:50.830458"}	payment-AC-0002	81	3
23	2025-03-16 01:16:08.828655	{"data": {"message": "Karte abgelehnt – bitte andere Zahlungsart wählen", "retryable": false, "decline_code": "do_not_honor"}, "name": "payments.PaymentDeclined", "uuid": "cc8af3a3-9910-4c4f-a14c-10d2c35f2d69", "context": {"components": {"actor": {"channel": "internal", "user_id": "system:psp-gateway"}}, "causation_id": "7429bca9-c1a2-4f87-88ee-4058217143f7", "correlation_id": "84c00ac1-263b-4505-af23-ce8237b0e485"}, "version": 2, "stream_id": "f1df5efa-7a88-5732-b48a-52d25f2a1b3e", "tenant_id": "acme", "created_at": "2025-03-16T01:16:08.821655"}	payment-AC-0001	82	3
24	2025-03-16 01:16:34.007006	{"data": {"reason": "payment declined", "refund": null}, "name": "shop_events.OrderCancelled", "uuid": "b96c3ff8-69bc-44d9-b962-87bbc5e1d31f", "context": {"components": {"actor": {"channel": "internal", "user_id": "system:order-service"}}, "causation_id": "cc8af3a3-9910-4c4f-a14c-10d2c35f2d69", "correlation_id": "84c00ac1-263b-4505-af23-ce8237b0e485"}, "version": 2, "stream_id": "3ee9c84b-eb2f-41c6-94ac-ac3532b6b798", "tenant_id": "acme", "created_at": "2025-03-16T01:16:34.000006"}	\N	83	3
25	2025-03-16 01:18:09.882314	{"data": {"amount": {"amount": "143.39", "currency": "EUR"}, "risk_score": 0.30000000000000004, "authorization_code": "AUTH-171805"}, "name": "payments.PaymentAuthorized", "uuid": "a5f77294-94a6-44e4-bc87-e8a298a4030f", "context": {"components": {"actor": {"channel": "internal", "user_id": "system:psp-gateway"}}, "causation_id": "738e1e6a-dbd2-40a6-9dad-9ff519b0f083", "correlation_id": "aebf2f3d-f3c2-4679-85b4-d8420a3a1dff"}, "version": 2, "stream_id": "55371d32-6da0-5c6b-933c-2a8e59618864", "tenant_id": "acme", "created_at": "2025-03-16T01:18:09.875314"}	payment-AC-0002	84	3
26	2025-03-16 01:18:53.929353	{"data": {"fee": "0.35", "amount": {"amount": "143.39", "currency": "EUR"}}, "name": "payments.PaymentCaptured", "uuid": "34266007-9229-40e6-b88a-700659b7c2e8", "context": {"components": {"actor": {"channel": "internal", "user_id": "system:psp-gateway"}}, "causation_id": "a5f77294-94a6-44e4-bc87-e8a298a4030f", "correlation_id": "aebf2f3d-f3c2-4679-85b4-d8420a3a1dff"}, "version": 3, "stream_id": "55371d32-6da0-5c6b-933c-2a8e59618864", "tenant_id": "acme", "created_at": "2025-03-16T01:18:53.922353"}	payment-AC-0002	85	3
27	2025-03-16 01:20:18.335172	{"data": {"amount": {"amount": "143.39", "currency": "EUR"}, "payment_stream": "payment-AC-0002"}, "name": "shop_events.OrderPaid", "uuid": "992f4888-3277-41d8-ab52-2f593eda3f04", "context": {"components": {"actor": {"channel": "internal", "user_id": "system:order-service"}}, "causation_id": "34266007-9229-40e6-b88a-700659b7c2e8", "correlation_id": "aebf2f3d-f3c2-4679-85b4-d8420a3a1dff"}, "version": 2, "stream_id": "e97f3dec-03bf-46c2-8fbb-325910bcea44", "tenant_id": "acme", "created_at": "2025-03-16T01:20:18.328172"}	\N	86	3
28	2025-03-16 06:20:46.747885	{"data": {"carrier": "DHL", "parcels": [{"weight_kg": "1.250", "dimensions_cm": {"h": 12, "l": 40, "w": 30}}, {"weight_kg": "0.4", "dimensions_cm": {"h": 5, "l": 20, "w": 15}}], "tracking_number": "JJD940852911509134824"}, "name": "shop_events.OrderShipped", "uuid": "1f75c4fd-a20d-4db3-af05-4ca9e267e0ea", "context": {"components": {"actor": {"channel": "internal", "user_id": "warehouse:wro-1"}}, "causation_id": "992f4888-3277-41d8-ab52-2f593eda3f04", "correlation_id": "aebf2f3d-f3c2-4679-85b4-d8420a3a1dff"}, "version": 3, "stream_id": "e97f3dec-03bf-46c2-8fbb-325910bcea44", "tenant_id": "acme", "created_at": "2025-03-16T06:20:46.740885"}	\N	87	3
29	2025-03-17 09:21:05.200009	{"data": {"signed_by": "M. Kowalska", "delivered_at": "2025-03-17T09:20:46.740885Z"}, "name": "shop_events.OrderDelivered", "uuid": "7320ba02-a2d6-41dd-aaec-c144a7234fdd", "context": {"components": {"actor": {"channel": "internal", "user_id": "carrier:dhl"}}, "causation_id": "1f75c4fd-a20d-4db3-af05-4ca9e267e0ea", "correlation_id": "aebf2f3d-f3c2-4679-85b4-d8420a3a1dff"}, "version": 4, "stream_id": "e97f3dec-03bf-46c2-8fbb-325910bcea44", "tenant_id": "acme", "created_at": "2025-03-17T09:21:05.193009"}	\N	88	3
\.


--
-- Data for Name: event_sourcery_projector_cursors; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.event_sourcery_projector_cursors (id, name, stream_id, category, version) FROM stdin;
1	cart_lines	4ca9d93f-a8d0-5635-9c27-690bdbf42e0c	cart	10
2	cart_lines	fbabfd63-cc3a-4bd6-85b7-4005ca855dc8	cart	6
3	order_summary	770360b1-5061-4304-86aa-236d1a4c3d2e	order	4
4	cart_lines	0f4bdfd9-1591-5d2e-a768-3d2f8ecfc901	cart	15
5	order_summary	f591c809-c4ca-4bb7-8bfc-32c4ae2fbf04	order	3
\.


--
-- Data for Name: event_sourcery_snapshots; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.event_sourcery_snapshots (uuid, version, name, data, event_context, created_at, db_stream_id) FROM stdin;
c3874069-29e8-4171-b380-60e687f1c2df	10	shop_events.CartSnapshot	{"lines": [{"sku": "SKU-DK-006", "quantity": 1, "unit_price": "499.00"}, {"sku": "SKU-LP-007", "quantity": 2, "unit_price": "39.95"}, {"sku": "SKU-KB-001", "quantity": 1, "unit_price": "89.90"}, {"sku": "SKU-MS-002", "quantity": 3, "unit_price": "24.99"}, {"sku": "SKU-CB-003", "quantity": 4, "unit_price": "9.50"}], "total": {"amount": "781.77", "currency": "EUR"}, "coupon": null, "cart_id": "0f4bdfd9-1591-5d2e-a768-3d2f8ecfc901", "snapshot_of_version": 10}	{"causation_id": null, "correlation_id": null}	2025-03-14 09:34:20.34915	6
ed2828c9-e8ad-45a6-a1fb-c2688c3ca911	20	shop_events.CartSnapshot	{"lines": [{"sku": "SKU-DK-006", "quantity": 1, "unit_price": "499.00"}, {"sku": "SKU-CB-003", "quantity": 2, "unit_price": "9.50"}, {"sku": "SKU-MN-004", "quantity": 1, "unit_price": "279.00"}, {"sku": "SKU-CF-005", "quantity": 3, "unit_price": "18.40"}, {"sku": "SKU-HS-008", "quantity": 1, "unit_price": "129.00"}, {"sku": "SKU-KB-001", "quantity": 1, "unit_price": "89.90"}], "total": {"amount": "1071.10", "currency": "EUR"}, "coupon": null, "cart_id": "0f4bdfd9-1591-5d2e-a768-3d2f8ecfc901", "snapshot_of_version": 20}	{"causation_id": null, "correlation_id": null}	2025-03-14 09:41:00.294161	6
\.


--
-- Data for Name: event_sourcery_streams; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.event_sourcery_streams (id, uuid, name, category, tenant_id, version) FROM stdin;
1	1572aa85-10f6-5b19-950b-7ba8679caef7	shop-activity-log			\N
2	4ca9d93f-a8d0-5635-9c27-690bdbf42e0c	cart-1001	cart		10
3	fbabfd63-cc3a-4bd6-85b7-4005ca855dc8	\N	cart		7
4	770360b1-5061-4304-86aa-236d1a4c3d2e	\N	order		4
5	9a84602c-7a88-5576-9e04-6ce3b0e8e847	payment-SO-1001	payment		3
6	0f4bdfd9-1591-5d2e-a768-3d2f8ecfc901	cart-1002	cart		24
7	f591c809-c4ca-4bb7-8bfc-32c4ae2fbf04	\N	order		3
8	2ae272d8-a396-55eb-a4e6-2dd3b965d724	payment-SO-1003	payment		4
9	4ca9d93f-a8d0-5635-9c27-690bdbf42e0c	cart-1001	cart	acme	8
10	edc3b9da-cc68-5de7-928e-32b4271689df	webhook-inbox	integration	acme	\N
11	d9b7a3c4-4107-4ac5-8b57-a343f0e5349d	\N	cart	acme	6
12	3ee9c84b-eb2f-41c6-94ac-ac3532b6b798	\N	order	acme	2
13	f1df5efa-7a88-5732-b48a-52d25f2a1b3e	payment-AC-0001	payment	acme	2
14	e97f3dec-03bf-46c2-8fbb-325910bcea44	\N	order	acme	4
15	55371d32-6da0-5c6b-933c-2a8e59618864	payment-AC-0002	payment	acme	3
\.


--
-- Name: event_sourcery_events_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.event_sourcery_events_id_seq', 92, true);


--
-- Name: event_sourcery_outbox_entries_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.event_sourcery_outbox_entries_id_seq', 29, true);


--
-- Name: event_sourcery_projector_cursors_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.event_sourcery_projector_cursors_id_seq', 5, true);


--
-- Name: event_sourcery_streams_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.event_sourcery_streams_id_seq', 15, true);


--
-- Name: event_sourcery_events event_sourcery_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_sourcery_events
    ADD CONSTRAINT event_sourcery_events_pkey PRIMARY KEY (id);


--
-- Name: event_sourcery_outbox_entries event_sourcery_outbox_entries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_sourcery_outbox_entries
    ADD CONSTRAINT event_sourcery_outbox_entries_pkey PRIMARY KEY (id);


--
-- Name: event_sourcery_projector_cursors event_sourcery_projector_cursors_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_sourcery_projector_cursors
    ADD CONSTRAINT event_sourcery_projector_cursors_pkey PRIMARY KEY (id);


--
-- Name: event_sourcery_snapshots event_sourcery_snapshots_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_sourcery_snapshots
    ADD CONSTRAINT event_sourcery_snapshots_pkey PRIMARY KEY (uuid);


--
-- Name: event_sourcery_streams event_sourcery_streams_name_category_tenant_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_sourcery_streams
    ADD CONSTRAINT event_sourcery_streams_name_category_tenant_id_key UNIQUE (name, category, tenant_id);


--
-- Name: event_sourcery_streams event_sourcery_streams_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_sourcery_streams
    ADD CONSTRAINT event_sourcery_streams_pkey PRIMARY KEY (id);


--
-- Name: event_sourcery_streams event_sourcery_streams_uuid_category_tenant_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_sourcery_streams
    ADD CONSTRAINT event_sourcery_streams_uuid_category_tenant_id_key UNIQUE (uuid, category, tenant_id);


--
-- Name: ix_event_sourcery_events_created_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_event_sourcery_events_created_at ON public.event_sourcery_events USING btree (created_at);


--
-- Name: ix_event_sourcery_events_db_stream_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_event_sourcery_events_db_stream_id ON public.event_sourcery_events USING btree (db_stream_id);


--
-- Name: ix_event_sourcery_events_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_event_sourcery_events_uuid ON public.event_sourcery_events USING btree (uuid);


--
-- Name: ix_event_sourcery_outbox_entries_created_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_event_sourcery_outbox_entries_created_at ON public.event_sourcery_outbox_entries USING btree (created_at);


--
-- Name: ix_event_sourcery_projector_cursors_stream_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_event_sourcery_projector_cursors_stream_id ON public.event_sourcery_projector_cursors USING btree (stream_id);


--
-- Name: ix_event_sourcery_snapshots_db_stream_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_event_sourcery_snapshots_db_stream_id ON public.event_sourcery_snapshots USING btree (db_stream_id);


--
-- Name: ix_events_stream_id_version_event_sourcery_events; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_events_stream_id_version_event_sourcery_events ON public.event_sourcery_events USING btree (db_stream_id, version);


--
-- Name: ix_name_stream_id_event_sourcery_projector_cursors; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_name_stream_id_event_sourcery_projector_cursors ON public.event_sourcery_projector_cursors USING btree (name, stream_id, category);


--
-- Name: event_sourcery_events event_sourcery_events_db_stream_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_sourcery_events
    ADD CONSTRAINT event_sourcery_events_db_stream_id_fkey FOREIGN KEY (db_stream_id) REFERENCES public.event_sourcery_streams(id);


--
-- Name: event_sourcery_snapshots event_sourcery_snapshots_db_stream_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_sourcery_snapshots
    ADD CONSTRAINT event_sourcery_snapshots_db_stream_id_fkey FOREIGN KEY (db_stream_id) REFERENCES public.event_sourcery_streams(id);


--
-- PostgreSQL database dump complete
--

\unrestrict eventscope

