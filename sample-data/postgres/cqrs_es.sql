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
-- Name: bank_account_query; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.bank_account_query (
    view_id text NOT NULL,
    version bigint NOT NULL,
    payload json NOT NULL,
    CONSTRAINT bank_account_query_version_check CHECK ((version >= 0))
);


--
-- Name: events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.events (
    aggregate_type text NOT NULL,
    aggregate_id text NOT NULL,
    sequence bigint NOT NULL,
    event_type text NOT NULL,
    event_version text NOT NULL,
    payload json NOT NULL,
    metadata json NOT NULL,
    CONSTRAINT events_sequence_check CHECK ((sequence >= 0))
);


--
-- Name: snapshots; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.snapshots (
    aggregate_type text NOT NULL,
    aggregate_id text NOT NULL,
    last_sequence bigint NOT NULL,
    current_snapshot bigint NOT NULL,
    payload json NOT NULL,
    CONSTRAINT snapshots_current_snapshot_check CHECK ((current_snapshot >= 0)),
    CONSTRAINT snapshots_last_sequence_check CHECK ((last_sequence >= 0))
);


--
-- Data for Name: bank_account_query; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.bank_account_query (view_id, version, payload) FROM stdin;
7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f	13	{"ledger": [{"amount": 250.0, "sequence": 2, "description": "deposit"}, {"amount": -40.0, "sequence": 3, "description": "cash withdrawal"}, {"amount": 75.25, "sequence": 4, "description": "deposit"}, {"amount": -99.99, "sequence": 5, "description": "check 0007"}, {"amount": -2.5, "sequence": 6, "description": "monthly fee"}, {"amount": 300.0, "sequence": 7, "description": "deposit"}, {"amount": -2.5, "sequence": 8, "description": "monthly fee"}, {"amount": 310.0, "sequence": 9, "description": "deposit"}, {"amount": -2.5, "sequence": 10, "description": "monthly fee"}, {"amount": 320.0, "sequence": 11, "description": "deposit"}, {"amount": -2.5, "sequence": 12, "description": "monthly fee"}, {"amount": 330.0, "sequence": 13, "description": "deposit"}, {"amount": -25.0, "sequence": 14, "description": "cash withdrawal"}], "balance": 1410.26, "account_id": "7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f"}
ACME-0001	11	{"ledger": [{"amount": 10000.0, "sequence": 2, "description": "deposit"}, {"amount": -1250.5, "sequence": 3, "description": "check 1001"}, {"amount": -830.0, "sequence": 4, "description": "check 1002"}, {"amount": -2.5, "sequence": 5, "description": "monthly fee"}, {"amount": -410.0, "sequence": 6, "description": "check 1003"}, {"amount": -2.5, "sequence": 7, "description": "monthly fee"}, {"amount": -465.5, "sequence": 8, "description": "check 1004"}, {"amount": -2.5, "sequence": 9, "description": "monthly fee"}, {"amount": -521.0, "sequence": 10, "description": "check 1005"}, {"amount": -2.5, "sequence": 11, "description": "monthly fee"}, {"amount": -576.5, "sequence": 12, "description": "check 1006"}], "balance": 5936.5, "account_id": "ACME-0001"}
b2e4d6f8-1a3c-4b5d-8e7f-9a0b1c2d3e4f	10	{"ledger": [{"amount": 120.0, "sequence": 2, "description": "deposit"}, {"amount": -20.0, "sequence": 3, "description": "cash withdrawal"}, {"amount": -150.0, "sequence": 4, "description": "cash withdrawal"}, {"amount": 200.0, "sequence": 6, "description": "deposit"}, {"amount": -2.5, "sequence": 8, "description": "monthly fee"}, {"amount": -2.5, "sequence": 9, "description": "monthly fee"}, {"amount": -2.5, "sequence": 10, "description": "monthly fee"}, {"amount": -2.5, "sequence": 11, "description": "monthly fee"}], "balance": 140.0, "account_id": "b2e4d6f8-1a3c-4b5d-8e7f-9a0b1c2d3e4f"}
c0ffee00-5eed-4bad-a11e-d00d00000042	10	{"ledger": [{"amount": 50.0, "sequence": 2, "description": "deposit"}, {"amount": -2.5, "sequence": 3, "description": "monthly fee"}, {"amount": -10.0, "sequence": 4, "description": "cash withdrawal"}, {"amount": -2.5, "sequence": 5, "description": "monthly fee"}, {"amount": -10.0, "sequence": 6, "description": "cash withdrawal"}, {"amount": -2.5, "sequence": 7, "description": "monthly fee"}, {"amount": -10.0, "sequence": 8, "description": "cash withdrawal"}, {"amount": -2.5, "sequence": 9, "description": "monthly fee"}, {"amount": -10.0, "sequence": 10, "description": "cash withdrawal"}, {"amount": -60.0, "sequence": 11, "description": "cash withdrawal"}], "balance": -60.0, "account_id": "c0ffee00-5eed-4bad-a11e-d00d00000042"}
\.


--
-- Data for Name: events; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata) FROM stdin;
BankAccount	7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f	1	AccountOpened	1.0	{"AccountOpened": {"account_id": "7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f"}}	{"command": "OpenAccount", "user_id": "alice", "timestamp": "2025-04-01T09:58:01.905Z", "correlation_id": "req-10021"}
BankAccount	7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f	2	CustomerDepositedMoney	1.0	{"CustomerDepositedMoney": {"amount": 250.0, "balance": 250.0}}	{"command": "OpenAccount", "user_id": "alice", "timestamp": "2025-04-01T09:58:01.905Z", "correlation_id": "req-10021"}
BankAccount	7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f	3	CustomerWithdrewCash	1.0	{"CustomerWithdrewCash": {"amount": 40.0, "balance": 210.0}}	{"command": "WithdrawMoney", "user_id": "alice", "timestamp": "2025-04-01T15:26:05.666Z", "correlation_id": "req-10070"}
BankAccount	7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f	4	CustomerDepositedMoney	1.0	{"CustomerDepositedMoney": {"amount": 75.25, "balance": 285.25}}	{"command": "DepositMoney", "user_id": "alice", "timestamp": "2025-04-01T16:32:06.320Z", "correlation_id": "req-10084"}
BankAccount	7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f	5	CustomerWroteCheck	1.0	{"CustomerWroteCheck": {"amount": 99.99, "balance": 185.26, "check_number": "0007"}}	{"command": "WriteCheck", "user_id": "alice", "timestamp": "2025-04-01T19:34:08.578Z", "correlation_id": "req-10112"}
BankAccount	7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f	6	MonthlyFeeCharged	1.0	{"MonthlyFeeCharged": 2.5}	{"command": "ChargeMonthlyFee", "user_id": "billing-job", "timestamp": "2025-04-02T01:55:12.540Z", "correlation_id": "req-10175"}
BankAccount	7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f	7	CustomerDepositedMoney	1.0	{"CustomerDepositedMoney": {"amount": 300.0, "balance": 482.76}}	{"command": "DepositMoney", "user_id": "alice", "timestamp": "2025-04-02T04:31:14.152Z", "correlation_id": "req-10203"}
BankAccount	7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f	8	MonthlyFeeCharged	1.0	{"MonthlyFeeCharged": 2.5}	{"command": "ChargeMonthlyFee", "user_id": "billing-job", "timestamp": "2025-04-02T07:11:15.799Z", "correlation_id": "req-10224"}
BankAccount	7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f	9	CustomerDepositedMoney	1.0	{"CustomerDepositedMoney": {"amount": 310.0, "balance": 790.26}}	{"command": "DepositMoney", "user_id": "alice", "timestamp": "2025-04-02T09:11:17.435Z", "correlation_id": "req-10252"}
BankAccount	7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f	10	MonthlyFeeCharged	1.0	{"MonthlyFeeCharged": 2.5}	{"command": "ChargeMonthlyFee", "user_id": "billing-job", "timestamp": "2025-04-02T11:47:18.958Z", "correlation_id": "req-10273"}
BankAccount	7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f	11	CustomerDepositedMoney	1.0	{"CustomerDepositedMoney": {"amount": 320.0, "balance": 1107.76}}	{"command": "DepositMoney", "user_id": "alice", "timestamp": "2025-04-02T14:43:21.050Z", "correlation_id": "req-10301"}
BankAccount	7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f	12	MonthlyFeeCharged	1.0	{"MonthlyFeeCharged": 2.5}	{"command": "ChargeMonthlyFee", "user_id": "billing-job", "timestamp": "2025-04-02T15:45:22.449Z", "correlation_id": "req-10322"}
BankAccount	7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f	13	CustomerDepositedMoney	1.0	{"CustomerDepositedMoney": {"amount": 330.0, "balance": 1435.26}}	{"command": "DepositMoney", "user_id": "alice", "timestamp": "2025-04-02T19:36:23.566Z", "correlation_id": "req-10350"}
BankAccount	7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f	14	CustomerWithdrewCash	1.0	{"CustomerWithdrewCash": {"amount": 25.0, "balance": 1410.26}}	{"command": "WithdrawMoney", "user_id": "alice", "timestamp": "2025-04-03T00:49:26.564Z", "correlation_id": "req-10385"}
BankAccount	ACME-0001	1	AccountOpened	1.0	{"AccountOpened": {"account_id": "ACME-0001"}}	{"command": "OpenAccount", "user_id": "backoffice", "timestamp": "2025-04-01T12:06:02.831Z", "correlation_id": "req-10035"}
BankAccount	ACME-0001	2	CustomerDepositedMoney	1.0	{"CustomerDepositedMoney": {"amount": 10000.0, "balance": 10000.0}}	{"command": "OpenAccount", "user_id": "backoffice", "timestamp": "2025-04-01T12:06:02.831Z", "correlation_id": "req-10035"}
BankAccount	ACME-0001	3	CustomerWroteCheck	1.0	{"CustomerWroteCheck": {"amount": 1250.5, "balance": 8749.5, "check_number": "1001"}}	{"command": "WriteCheck", "user_id": "backoffice", "timestamp": "2025-04-01T16:27:06.156Z", "correlation_id": "req-10077"}
BankAccount	ACME-0001	4	CustomerWroteCheck	1.0	{"CustomerWroteCheck": {"amount": 830.0, "balance": 7919.5, "check_number": "1002"}}	{"command": "WriteCheck", "user_id": "backoffice", "timestamp": "2025-04-01T18:42:08.287Z", "correlation_id": "req-10105"}
BankAccount	ACME-0001	5	MonthlyFeeCharged	1.0	{"MonthlyFeeCharged": 2.5}	{"command": "ChargeMonthlyFee", "user_id": "billing-job", "timestamp": "2025-04-02T04:19:13.782Z", "correlation_id": "req-10189"}
BankAccount	ACME-0001	6	CustomerWroteCheck	1.0	{"CustomerWroteCheck": {"amount": 410.0, "balance": 7507.0, "check_number": "1003"}}	{"command": "WriteCheck", "user_id": "backoffice", "timestamp": "2025-04-02T05:05:14.955Z", "correlation_id": "req-10210"}
BankAccount	ACME-0001	7	MonthlyFeeCharged	1.0	{"MonthlyFeeCharged": 2.5}	{"command": "ChargeMonthlyFee", "user_id": "billing-job", "timestamp": "2025-04-02T07:47:16.553Z", "correlation_id": "req-10238"}
BankAccount	ACME-0001	8	CustomerWroteCheck	1.0	{"CustomerWroteCheck": {"amount": 465.5, "balance": 7039.0, "check_number": "1004"}}	{"command": "WriteCheck", "user_id": "backoffice", "timestamp": "2025-04-02T09:59:17.602Z", "correlation_id": "req-10259"}
BankAccount	ACME-0001	9	MonthlyFeeCharged	1.0	{"MonthlyFeeCharged": 2.5}	{"command": "ChargeMonthlyFee", "user_id": "billing-job", "timestamp": "2025-04-02T12:51:19.440Z", "correlation_id": "req-10287"}
BankAccount	ACME-0001	10	CustomerWroteCheck	1.0	{"CustomerWroteCheck": {"amount": 521.0, "balance": 6515.5, "check_number": "1005"}}	{"command": "WriteCheck", "user_id": "backoffice", "timestamp": "2025-04-02T14:59:21.365Z", "correlation_id": "req-10308"}
BankAccount	ACME-0001	11	MonthlyFeeCharged	1.0	{"MonthlyFeeCharged": 2.5}	{"command": "ChargeMonthlyFee", "user_id": "billing-job", "timestamp": "2025-04-02T18:02:23.444Z", "correlation_id": "req-10336"}
BankAccount	ACME-0001	12	CustomerWroteCheck	1.0	{"CustomerWroteCheck": {"amount": 576.5, "balance": 5936.5, "check_number": "1006"}}	{"command": "WriteCheck", "user_id": "backoffice", "timestamp": "2025-04-02T20:06:24.245Z", "correlation_id": "req-10357"}
BankAccount	b2e4d6f8-1a3c-4b5d-8e7f-9a0b1c2d3e4f	1	AccountOpened	1.0	{"AccountOpened": {"account_id": "b2e4d6f8-1a3c-4b5d-8e7f-9a0b1c2d3e4f"}}	{"command": "OpenAccount", "user_id": "bob", "timestamp": "2025-04-01T10:45:02.031Z", "correlation_id": "req-10028"}
BankAccount	b2e4d6f8-1a3c-4b5d-8e7f-9a0b1c2d3e4f	2	CustomerDepositedMoney	1.0	{"CustomerDepositedMoney": {"amount": 120.0, "balance": 120.0}}	{"command": "DepositMoney", "user_id": "bob", "timestamp": "2025-04-01T14:14:05.065Z", "correlation_id": "req-10063"}
BankAccount	b2e4d6f8-1a3c-4b5d-8e7f-9a0b1c2d3e4f	3	CustomerWithdrewCash	1.0	{"CustomerWithdrewCash": {"amount": 20.0, "balance": 100.0}}	{"command": "WithdrawMoney", "user_id": "bob", "timestamp": "2025-04-01T17:11:07.158Z", "correlation_id": "req-10091"}
BankAccount	b2e4d6f8-1a3c-4b5d-8e7f-9a0b1c2d3e4f	4	CustomerWithdrewCash	1.0	{"CustomerWithdrewCash": {"amount": 150.0, "balance": -50.0}}	{"command": "WithdrawMoney", "user_id": "bob", "timestamp": "2025-04-01T21:00:09.543Z", "correlation_id": "req-10119"}
BankAccount	b2e4d6f8-1a3c-4b5d-8e7f-9a0b1c2d3e4f	5	AccountFrozen	1.0	"AccountFrozen"	{"command": "WithdrawMoney", "user_id": "bob", "timestamp": "2025-04-01T21:00:09.543Z", "correlation_id": "req-10119"}
BankAccount	b2e4d6f8-1a3c-4b5d-8e7f-9a0b1c2d3e4f	6	CustomerDepositedMoney	1.0	{"CustomerDepositedMoney": {"amount": 200.0, "balance": 150.0}}	{"command": "DepositMoney", "user_id": "bob", "timestamp": "2025-04-01T21:49:10.710Z", "correlation_id": "req-10133"}
BankAccount	b2e4d6f8-1a3c-4b5d-8e7f-9a0b1c2d3e4f	7	AccountUnfrozen	1.0	"AccountUnfrozen"	{"command": "Unfreeze", "user_id": "support", "timestamp": "2025-04-01T22:42:10.912Z", "correlation_id": "req-10140"}
BankAccount	b2e4d6f8-1a3c-4b5d-8e7f-9a0b1c2d3e4f	8	MonthlyFeeCharged	1.0	{"MonthlyFeeCharged": 2.5}	{"command": "ChargeMonthlyFee", "user_id": "billing-job", "timestamp": "2025-04-02T03:12:13.216Z", "correlation_id": "req-10182"}
BankAccount	b2e4d6f8-1a3c-4b5d-8e7f-9a0b1c2d3e4f	9	MonthlyFeeCharged	1.0	{"MonthlyFeeCharged": 2.5}	{"command": "ChargeMonthlyFee", "user_id": "billing-job", "timestamp": "2025-04-02T07:12:15.839Z", "correlation_id": "req-10231"}
BankAccount	b2e4d6f8-1a3c-4b5d-8e7f-9a0b1c2d3e4f	10	MonthlyFeeCharged	1.0	{"MonthlyFeeCharged": 2.5}	{"command": "ChargeMonthlyFee", "user_id": "billing-job", "timestamp": "2025-04-02T12:02:19.362Z", "correlation_id": "req-10280"}
BankAccount	b2e4d6f8-1a3c-4b5d-8e7f-9a0b1c2d3e4f	11	MonthlyFeeCharged	1.0	{"MonthlyFeeCharged": 2.5}	{"command": "ChargeMonthlyFee", "user_id": "billing-job", "timestamp": "2025-04-02T16:59:23.002Z", "correlation_id": "req-10329"}
BankAccount	c0ffee00-5eed-4bad-a11e-d00d00000042	1	AccountOpened	1.0	{"AccountOpened": {"account_id": "c0ffee00-5eed-4bad-a11e-d00d00000042"}}	{"command": "OpenAccount", "user_id": "carol", "timestamp": "2025-04-01T23:25:11.004Z", "correlation_id": "req-10147"}
BankAccount	c0ffee00-5eed-4bad-a11e-d00d00000042	2	CustomerDepositedMoney	1.0	{"CustomerDepositedMoney": {"amount": 50.0, "balance": 50.0}}	{"command": "OpenAccount", "user_id": "carol", "timestamp": "2025-04-01T23:25:11.004Z", "correlation_id": "req-10147"}
BankAccount	c0ffee00-5eed-4bad-a11e-d00d00000042	3	MonthlyFeeCharged	1.0	{"MonthlyFeeCharged": 2.5}	{"command": "ChargeMonthlyFee", "user_id": "billing-job", "timestamp": "2025-04-02T04:30:14.022Z", "correlation_id": "req-10196"}
BankAccount	c0ffee00-5eed-4bad-a11e-d00d00000042	4	CustomerWithdrewCash	1.0	{"CustomerWithdrewCash": {"amount": 10.0, "balance": 37.5}}	{"command": "WithdrawMoney", "user_id": "carol", "timestamp": "2025-04-02T06:13:15.432Z", "correlation_id": "req-10217"}
BankAccount	c0ffee00-5eed-4bad-a11e-d00d00000042	5	MonthlyFeeCharged	1.0	{"MonthlyFeeCharged": 2.5}	{"command": "ChargeMonthlyFee", "user_id": "billing-job", "timestamp": "2025-04-02T08:12:17.157Z", "correlation_id": "req-10245"}
BankAccount	c0ffee00-5eed-4bad-a11e-d00d00000042	6	CustomerWithdrewCash	1.0	{"CustomerWithdrewCash": {"amount": 10.0, "balance": 25.0}}	{"command": "WithdrawMoney", "user_id": "carol", "timestamp": "2025-04-02T11:21:18.443Z", "correlation_id": "req-10266"}
BankAccount	c0ffee00-5eed-4bad-a11e-d00d00000042	7	MonthlyFeeCharged	1.0	{"MonthlyFeeCharged": 2.5}	{"command": "ChargeMonthlyFee", "user_id": "billing-job", "timestamp": "2025-04-02T13:30:20.408Z", "correlation_id": "req-10294"}
BankAccount	c0ffee00-5eed-4bad-a11e-d00d00000042	8	CustomerWithdrewCash	1.0	{"CustomerWithdrewCash": {"amount": 10.0, "balance": 12.5}}	{"command": "WithdrawMoney", "user_id": "carol", "timestamp": "2025-04-02T15:05:21.570Z", "correlation_id": "req-10315"}
BankAccount	c0ffee00-5eed-4bad-a11e-d00d00000042	9	MonthlyFeeCharged	1.0	{"MonthlyFeeCharged": 2.5}	{"command": "ChargeMonthlyFee", "user_id": "billing-job", "timestamp": "2025-04-02T18:09:23.560Z", "correlation_id": "req-10343"}
BankAccount	c0ffee00-5eed-4bad-a11e-d00d00000042	10	CustomerWithdrewCash	1.0	{"CustomerWithdrewCash": {"amount": 10.0, "balance": 0.0}}	{"command": "WithdrawMoney", "user_id": "carol", "timestamp": "2025-04-02T21:10:24.598Z", "correlation_id": "req-10364"}
BankAccount	c0ffee00-5eed-4bad-a11e-d00d00000042	11	CustomerWithdrewCash	1.0	{"CustomerWithdrewCash": {"amount": 60.0, "balance": -60.0}}	{"command": "WithdrawMoney", "user_id": "carol", "timestamp": "2025-04-02T22:04:24.841Z", "correlation_id": "req-10371"}
BankAccount	c0ffee00-5eed-4bad-a11e-d00d00000042	12	AccountFrozen	1.0	"AccountFrozen"	{"command": "WithdrawMoney", "user_id": "carol", "timestamp": "2025-04-02T22:04:24.841Z", "correlation_id": "req-10371"}
Customer	ACME-0001	1	CustomerRegistered	1.0	{"data": {"name": "ACME Sp. z o.o.", "email": "finance@acme.example", "customer_id": "ACME-0001"}, "type": "CustomerRegistered"}	{"command": "Register", "user_id": "backoffice", "timestamp": "2025-04-01T09:44:01.452Z", "correlation_id": "req-10014"}
Customer	ACME-0001	2	AccountLinked	1.0	{"data": {"account_id": "ACME-0001"}, "type": "AccountLinked"}	{"command": "LinkAccount", "user_id": "backoffice", "timestamp": "2025-04-01T13:32:03.885Z", "correlation_id": "req-10049"}
Customer	ACME-0001	3	EmailChanged	1.0	{"data": {"new_email": "ap@acme.example", "old_email": "finance@acme.example"}, "type": "EmailChanged"}	{"command": "ChangeEmail", "user_id": "backoffice", "timestamp": "2025-04-01T21:30:10.182Z", "correlation_id": "req-10126"}
Customer	ACME-0001	4	AddressChanged	2.0	{"data": {"address": {"city": "Gdańsk", "street": "Industrial Park 12", "country": "PL"}}, "type": "AddressChanged"}	{"command": "ChangeAddress", "user_id": "backoffice", "timestamp": "2025-04-02T01:11:12.537Z", "correlation_id": "req-10168"}
Customer	ACME-0001	5	CustomerVerified	1.0	{"type": "CustomerVerified"}	{"command": "Verify", "user_id": "kyc-service", "timestamp": "2025-04-02T23:32:25.758Z", "correlation_id": "req-10378"}
Customer	cust-alice	1	CustomerRegistered	1.0	{"data": {"name": "Alice Nowak", "email": "alice@example.com", "customer_id": "cust-alice"}, "type": "CustomerRegistered"}	{"command": "Register", "user_id": "web", "timestamp": "2025-04-01T09:20:00.889Z", "correlation_id": "req-10007"}
Customer	cust-alice	2	AccountLinked	1.0	{"data": {"account_id": "7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f"}, "type": "AccountLinked"}	{"command": "LinkAccount", "user_id": "web", "timestamp": "2025-04-01T13:17:03.521Z", "correlation_id": "req-10042"}
Customer	cust-alice	3	CustomerVerified	1.0	{"type": "CustomerVerified"}	{"command": "Verify", "user_id": "kyc-service", "timestamp": "2025-04-01T13:36:04.138Z", "correlation_id": "req-10056"}
Customer	cust-alice	4	AddressChanged	2.0	{"data": {"address": {"city": "Kraków", "street": "ul. Długa 5", "country": "PL"}}, "type": "AddressChanged"}	{"command": "ChangeAddress", "user_id": "alice", "timestamp": "2025-04-01T17:40:07.886Z", "correlation_id": "req-10098"}
Customer	cust-alice	5	EmailChanged	1.0	{"data": {"new_email": "alice.nowak@example.com", "old_email": "alice@example.com"}, "type": "EmailChanged"}	{"command": "ChangeEmail", "user_id": "alice", "timestamp": "2025-04-02T00:41:11.769Z", "correlation_id": "req-10154"}
Customer	cust-alice	6	AccountLinked	1.0	{"data": {"account_id": "c0ffee00-5eed-4bad-a11e-d00d00000042"}, "type": "AccountLinked"}	{"command": "LinkAccount", "user_id": "alice", "timestamp": "2025-04-02T01:01:12.208Z", "correlation_id": "req-10161"}
\.


--
-- Data for Name: snapshots; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.snapshots (aggregate_type, aggregate_id, last_sequence, current_snapshot, payload) FROM stdin;
\.


--
-- Name: bank_account_query bank_account_query_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bank_account_query
    ADD CONSTRAINT bank_account_query_pkey PRIMARY KEY (view_id);


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (aggregate_type, aggregate_id, sequence);


--
-- Name: snapshots snapshots_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.snapshots
    ADD CONSTRAINT snapshots_pkey PRIMARY KEY (aggregate_type, aggregate_id, last_sequence);


--
-- PostgreSQL database dump complete
--

\unrestrict eventscope

