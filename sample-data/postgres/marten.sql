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

--
-- Name: mt_archive_stream(uuid, character varying); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.mt_archive_stream(streamid uuid, tenantid character varying) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
  update public.mt_streams set is_archived = TRUE where id = streamid  and tenant_id = tenantid;
  update public.mt_events set is_archived = TRUE where stream_id = streamid  and tenant_id = tenantid;
END;
$$;


--
-- Name: mt_quick_append_events(uuid, character varying, character varying, uuid[], character varying[], character varying[], jsonb[], character varying[], character varying[], jsonb[], timestamp with time zone[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.mt_quick_append_events(stream uuid, stream_type character varying, tenantid character varying, event_ids uuid[], event_types character varying[], dotnet_types character varying[], bodies jsonb[], causation_ids character varying[], correlation_ids character varying[], headers jsonb[], timestamps timestamp with time zone[]) RETURNS integer[]
    LANGUAGE plpgsql
    AS $$
DECLARE
	event_version int;
	event_type varchar;
	event_id uuid;
	body jsonb;
	index int;
	seq int;
    actual_tenant varchar;
	return_value int[];
BEGIN
	select version into event_version from public.mt_streams where id = stream AND tenant_id = tenantid;
	if event_version IS NULL then
		event_version = 0;
		insert into public.mt_streams (id, type, version, timestamp, tenant_id) values (stream, stream_type, 0, now(), tenantid);
    else
        if tenantid IS NOT NULL then
            select tenant_id into actual_tenant from public.mt_streams where id = stream AND tenant_id = tenantid;
            if actual_tenant != tenantid then
                RAISE EXCEPTION 'The tenantid does not match the existing stream';
            end if;
        end if;
	end if;

	index := 1;
	return_value := ARRAY[event_version + array_length(event_ids, 1)];

	foreach event_id in ARRAY event_ids
	loop
	    seq := nextval('public.mt_events_sequence');
		return_value := array_append(return_value, seq);

	    event_version := event_version + 1;
		event_type = event_types[index];
		body = bodies[index];

		insert into public.mt_events
			(seq_id, id, stream_id, version, data, type, tenant_id, timestamp, mt_dotnet_type, is_archived, causation_id, correlation_id, headers)
		values
			(seq, event_id, stream, event_version, body, event_type, tenantid, timestamps[index], dotnet_types[index], FALSE, causation_ids[index], correlation_ids[index], headers[index]);

		index := index + 1;
	end loop;

	update public.mt_streams set version = event_version, timestamp = now() where id = stream AND tenant_id = tenantid;

	return return_value;
END
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: mt_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.mt_events (
    seq_id bigint NOT NULL,
    id uuid NOT NULL,
    stream_id uuid,
    version bigint NOT NULL,
    data jsonb NOT NULL,
    type character varying(500) NOT NULL,
    "timestamp" timestamp with time zone DEFAULT '2026-12-01 23:59:50.02676+00'::timestamp with time zone NOT NULL,
    tenant_id character varying DEFAULT '*DEFAULT*'::character varying,
    mt_dotnet_type character varying,
    correlation_id character varying,
    causation_id character varying,
    headers jsonb,
    is_archived boolean DEFAULT false
);


--
-- Name: mt_events_sequence; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.mt_events_sequence
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: mt_events_sequence; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.mt_events_sequence OWNED BY public.mt_events.seq_id;


--
-- Name: mt_streams; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.mt_streams (
    tenant_id character varying DEFAULT '*DEFAULT*'::character varying NOT NULL,
    id uuid NOT NULL,
    type character varying,
    version bigint,
    "timestamp" timestamp with time zone DEFAULT now() NOT NULL,
    snapshot jsonb,
    snapshot_version integer,
    created timestamp with time zone DEFAULT now() NOT NULL,
    is_archived boolean DEFAULT false
);


--
-- Data for Name: mt_events; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.mt_events (seq_id, id, stream_id, version, data, type, "timestamp", tenant_id, mt_dotnet_type, correlation_id, causation_id, headers, is_archived) FROM stdin;
1	e54e3b98-6531-5c55-94e7-4f4698748e52	d4b797dd-619b-5851-8035-d2d669550d84	1	{"Owner": "Anna Schmidt", "Currency": "EUR", "AccountId": "d4b797dd-619b-5851-8035-d2d669550d84", "AccountNumber": "DE-4001"}	account_opened	2025-03-03 09:29:00.163537+00	acme	Bank.Domain.Events.AccountOpened, Bank.Domain	corr-0001	cmd-0001	{"user": "Anna Schmidt", "command": "cmd-0001"}	f
2	70b475bf-ae20-5153-8fbf-1e31d98e07bf	d4b797dd-619b-5851-8035-d2d669550d84	2	{"Amount": 100}	money_deposited	2025-03-03 10:02:00.751761+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0001	cmd-0001	{"user": "Anna Schmidt", "command": "cmd-0001"}	f
3	19b8a5fa-418b-5e2e-b621-66f334343140	0f6e9282-58a1-5266-a2e3-2a21d1a5af06	1	{"Owner": "Jörg Müller-Weiß", "Currency": "EUR", "AccountId": "0f6e9282-58a1-5266-a2e3-2a21d1a5af06", "AccountNumber": "DE-4002"}	account_opened	2025-03-03 10:22:00.840786+00	acme	Bank.Domain.Events.AccountOpened, Bank.Domain	corr-0002	cmd-0002	{"user": "Jörg Müller-Weiß", "command": "cmd-0002"}	f
4	a996eace-2d21-526a-a3d9-f107fb36794b	0f6e9282-58a1-5266-a2e3-2a21d1a5af06	2	{"Amount": 200}	money_deposited	2025-03-03 11:27:01.566199+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0002	cmd-0002	{"user": "Jörg Müller-Weiß", "command": "cmd-0002"}	f
5	82b6a383-22e8-5896-8024-a3695bb0eb92	db45c02c-76b9-5574-b67d-c615f5f6a0ec	1	{"Owner": "Acme Treasury", "Currency": "EUR", "AccountId": "db45c02c-76b9-5574-b67d-c615f5f6a0ec", "AccountNumber": "DE-4003"}	account_opened	2025-03-03 12:27:02.039361+00	acme	Bank.Domain.Events.AccountOpened, Bank.Domain	corr-0003	cmd-0003	{"user": "Acme Treasury", "command": "cmd-0003"}	f
6	456b19da-7a66-52f2-a06c-9abc877281ae	db45c02c-76b9-5574-b67d-c615f5f6a0ec	2	{"Amount": 300}	money_deposited	2025-03-03 12:47:02.89439+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0003	cmd-0003	{"user": "Acme Treasury", "command": "cmd-0003"}	f
7	4b97a3b8-8468-53c6-93bc-1446d3214826	952db3be-4e84-586e-82c1-9099c2948337	1	{"Owner": "Hank Scorpio", "Currency": "EUR", "AccountId": "952db3be-4e84-586e-82c1-9099c2948337", "AccountNumber": "DE-4004"}	account_opened	2025-03-03 13:41:03.222017+00	globex	Bank.Domain.Events.AccountOpened, Bank.Domain	corr-0004	cmd-0004	{"user": "Hank Scorpio", "command": "cmd-0004"}	f
8	57e3b1b9-e147-54cd-af7f-3d97ace7d766	952db3be-4e84-586e-82c1-9099c2948337	2	{"Amount": 400}	money_deposited	2025-03-03 14:30:03.552835+00	globex	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0004	cmd-0004	{"user": "Hank Scorpio", "command": "cmd-0004"}	f
9	36733212-8dc2-55d6-99c4-48ef1ba4fe25	db45c02c-76b9-5574-b67d-c615f5f6a0ec	1	{"Owner": "Globex Treasury", "Currency": "EUR", "AccountId": "db45c02c-76b9-5574-b67d-c615f5f6a0ec", "AccountNumber": "DE-4005"}	account_opened	2025-03-03 15:43:04.082805+00	globex	Bank.Domain.Events.AccountOpened, Bank.Domain	corr-0005	cmd-0005	{"user": "Globex Treasury", "command": "cmd-0005"}	f
10	d166aa09-71d3-54cf-a458-00faf5eab78f	db45c02c-76b9-5574-b67d-c615f5f6a0ec	2	{"Amount": 500}	money_deposited	2025-03-03 15:55:04.23439+00	globex	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0005	cmd-0005	{"user": "Globex Treasury", "command": "cmd-0005"}	f
11	1d4a10b7-8470-57e6-9e47-400612f98ea3	9262e1b8-816d-5c89-a43c-0f2da19728a3	1	{"Owner": "Frank Grimes", "Currency": "EUR", "AccountId": "9262e1b8-816d-5c89-a43c-0f2da19728a3", "AccountNumber": "DE-4006"}	account_opened	2025-03-03 17:22:05.174885+00	globex	Bank.Domain.Events.AccountOpened, Bank.Domain	corr-0006	cmd-0006	{"user": "Frank Grimes", "command": "cmd-0006"}	t
12	0ddadd7e-2297-5fc1-88a0-66b580f54e07	9262e1b8-816d-5c89-a43c-0f2da19728a3	2	{"Amount": 600}	money_deposited	2025-03-03 17:45:05.184318+00	globex	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0006	cmd-0006	{"user": "Frank Grimes", "command": "cmd-0006"}	t
13	afcebc9a-4512-5ab5-9e49-432610d8ee08	342631b0-6e7d-5c48-b9ec-d728231b25e4	1	{"Name": "Anna Schmidt", "Email": "anna.schmidt@example.com", "CustomerId": "342631b0-6e7d-5c48-b9ec-d728231b25e4"}	customer_registered	2025-03-03 18:44:05.713128+00	acme	Bank.Domain.Events.CustomerRegistered, Bank.Domain	corr-0007	cmd-0007	{"user": "web", "command": "cmd-0007"}	f
14	2b003193-5dd0-51fc-9a5b-a1c2124a6c95	f130b921-588b-5fe3-81a8-e155c3aa4193	1	{"Name": "Hank Scorpio", "Email": "hank.scorpio@example.com", "CustomerId": "f130b921-588b-5fe3-81a8-e155c3aa4193"}	customer_registered	2025-03-03 19:30:05.940177+00	globex	Bank.Domain.Events.CustomerRegistered, Bank.Domain	corr-0008	cmd-0008	{"user": "web", "command": "cmd-0008"}	f
15	7d978c95-894d-5b0b-adcc-6de6dc106e00	342631b0-6e7d-5c48-b9ec-d728231b25e4	2	{"AccountId": "d4b797dd-619b-5851-8035-d2d669550d84"}	account_linked	2025-03-03 20:26:06.723903+00	acme	Bank.Domain.Events.AccountLinked, Bank.Domain	corr-0009	cmd-0009	{"user": "backoffice", "command": "cmd-0009"}	f
16	743f83ff-329f-5177-bafe-76087d6d5f14	342631b0-6e7d-5c48-b9ec-d728231b25e4	3	{"AccountId": "0f6e9282-58a1-5266-a2e3-2a21d1a5af06"}	account_linked	2025-03-03 21:12:07.011158+00	acme	Bank.Domain.Events.AccountLinked, Bank.Domain	corr-0010	cmd-0010	{"user": "backoffice", "command": "cmd-0010"}	f
17	bf17865a-16b0-563f-929a-c7187b569ee7	342631b0-6e7d-5c48-b9ec-d728231b25e4	4	{"AccountId": "db45c02c-76b9-5574-b67d-c615f5f6a0ec"}	account_linked	2025-03-03 22:37:07.543202+00	acme	Bank.Domain.Events.AccountLinked, Bank.Domain	corr-0011	cmd-0011	{"user": "backoffice", "command": "cmd-0011"}	f
18	9ba47fa0-813b-53f9-a6e5-33189f00dfc3	f130b921-588b-5fe3-81a8-e155c3aa4193	2	{"AccountId": "952db3be-4e84-586e-82c1-9099c2948337"}	account_linked	2025-03-03 22:56:08.310762+00	globex	Bank.Domain.Events.AccountLinked, Bank.Domain	corr-0012	cmd-0012	{"user": "backoffice", "command": "cmd-0012"}	f
19	0a82e41e-c8f0-5cb4-9007-fcfe2f777638	f130b921-588b-5fe3-81a8-e155c3aa4193	3	{"AccountId": "db45c02c-76b9-5574-b67d-c615f5f6a0ec"}	account_linked	2025-03-03 23:25:09.073537+00	globex	Bank.Domain.Events.AccountLinked, Bank.Domain	corr-0013	cmd-0013	{"user": "backoffice", "command": "cmd-0013"}	f
20	05906eed-e526-599f-b20c-cd006c7e7d69	db45c02c-76b9-5574-b67d-c615f5f6a0ec	3	{"Amount": 80}	money_withdrawn	2025-03-03 23:34:09.262117+00	globex	Bank.Domain.Events.MoneyWithdrawn, Bank.Domain	corr-0014	cmd-0014	{"user": "Globex Treasury", "command": "cmd-0014"}	f
21	0b5b5f27-a389-54fc-a5bf-487baf23e21a	952db3be-4e84-586e-82c1-9099c2948337	3	{"Amount": 90}	money_withdrawn	2025-03-03 23:59:09.579065+00	globex	Bank.Domain.Events.MoneyWithdrawn, Bank.Domain	corr-0015	cmd-0015	{"user": "Hank Scorpio", "command": "cmd-0015"}	f
22	31c777f5-4664-544b-a945-038e779a3e37	952db3be-4e84-586e-82c1-9099c2948337	4	{"Amount": 10}	money_deposited	2025-03-04 00:43:10.175727+00	globex	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0015	cmd-0015	{"user": "Hank Scorpio", "command": "cmd-0015"}	f
23	b21eef6f-8c84-5e91-87fb-0c08900c6b17	db45c02c-76b9-5574-b67d-c615f5f6a0ec	3	{"Amount": 210}	money_deposited	2025-03-04 00:47:10.447715+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0016	cmd-0016	{"user": "Acme Treasury", "command": "cmd-0016"}	f
24	33c7d413-698e-5ed4-8de7-877fd96f8630	9262e1b8-816d-5c89-a43c-0f2da19728a3	3	{"Amount": 55}	money_deposited	2025-03-04 00:55:11.102447+00	globex	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0017	cmd-0017	{"user": "Frank Grimes", "command": "cmd-0017"}	t
25	106e7cdb-0540-568c-89b6-f692ad9e119e	db45c02c-76b9-5574-b67d-c615f5f6a0ec	4	{"Amount": 50}	money_withdrawn	2025-03-04 01:54:11.606229+00	acme	Bank.Domain.Events.MoneyWithdrawn, Bank.Domain	corr-0018	cmd-0018	{"user": "Acme Treasury", "command": "cmd-0018"}	f
26	2eb60ce4-2a65-5dfa-9814-eb39924e32c4	952db3be-4e84-586e-82c1-9099c2948337	5	{"Amount": 35}	money_withdrawn	2025-03-04 03:16:12.10594+00	globex	Bank.Domain.Events.MoneyWithdrawn, Bank.Domain	corr-0019	cmd-0019	{"user": "Hank Scorpio", "command": "cmd-0019"}	f
27	38836926-f5e0-5d62-af0c-a05095145fec	9262e1b8-816d-5c89-a43c-0f2da19728a3	4	{"Amount": 85}	money_withdrawn	2025-03-04 03:34:12.38191+00	globex	Bank.Domain.Events.MoneyWithdrawn, Bank.Domain	corr-0020	cmd-0020	{"user": "Frank Grimes", "command": "cmd-0020"}	t
28	50c13779-c1d7-55aa-875e-fd34e4eb43f3	9262e1b8-816d-5c89-a43c-0f2da19728a3	5	{"Amount": 8}	money_deposited	2025-03-04 04:50:12.506779+00	globex	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0020	cmd-0020	{"user": "Frank Grimes", "command": "cmd-0020"}	t
29	a5744c9e-bfe8-5003-b97c-3f4679813c96	952db3be-4e84-586e-82c1-9099c2948337	6	{"Amount": 235}	money_deposited	2025-03-04 06:09:13.16085+00	globex	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0021	cmd-0021	{"user": "Hank Scorpio", "command": "cmd-0021"}	f
30	cc1b9ab9-3e90-5353-b7a9-3ec234e91c44	952db3be-4e84-586e-82c1-9099c2948337	7	{"Amount": 7}	money_deposited	2025-03-04 07:39:13.958867+00	globex	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0021	cmd-0021	{"user": "Hank Scorpio", "command": "cmd-0021"}	f
31	a80a4880-6b5a-5e31-9ce4-307054f4be59	db45c02c-76b9-5574-b67d-c615f5f6a0ec	4	{"Amount": 130}	money_deposited	2025-03-04 08:40:14.692835+00	globex	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0022	cmd-0022	{"user": "Globex Treasury", "command": "cmd-0022"}	f
32	44ee0674-0db6-5e7f-84cb-724c386d8f53	0f6e9282-58a1-5266-a2e3-2a21d1a5af06	3	{"Amount": 70}	money_withdrawn	2025-03-04 09:56:15.603653+00	acme	Bank.Domain.Events.MoneyWithdrawn, Bank.Domain	corr-0023	cmd-0023	{"user": "Jörg Müller-Weiß", "command": "cmd-0023"}	f
33	afced55f-b99a-5bcc-b5a5-a55a5eff6496	0f6e9282-58a1-5266-a2e3-2a21d1a5af06	4	{"Amount": 40}	money_deposited	2025-03-04 10:16:16.119464+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0024	cmd-0024	{"user": "Jörg Müller-Weiß", "command": "cmd-0024"}	f
34	5acd3b22-d011-59da-b8eb-1221ad11bad6	0f6e9282-58a1-5266-a2e3-2a21d1a5af06	5	{"Amount": 8}	money_deposited	2025-03-04 11:42:16.435821+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0024	cmd-0024	{"user": "Jörg Müller-Weiß", "command": "cmd-0024"}	f
35	e2b987e3-2edd-568d-929e-ca6c9c689f12	db45c02c-76b9-5574-b67d-c615f5f6a0ec	5	{"Amount": 105}	money_deposited	2025-03-04 12:36:16.609938+00	globex	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0025	cmd-0025	{"user": "Globex Treasury", "command": "cmd-0025"}	f
36	848818bc-d0ce-5d2b-81eb-868e058ac288	d4b797dd-619b-5851-8035-d2d669550d84	3	{"Amount": 105}	money_deposited	2025-03-04 14:02:17.12865+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0026	cmd-0026	{"user": "Anna Schmidt", "command": "cmd-0026"}	f
37	b0103f01-a9b3-5d83-8f15-24bfb2d34bdd	db45c02c-76b9-5574-b67d-c615f5f6a0ec	6	{"Amount": 40}	money_withdrawn	2025-03-04 14:54:18.091763+00	globex	Bank.Domain.Events.MoneyWithdrawn, Bank.Domain	corr-0027	cmd-0027	{"user": "Globex Treasury", "command": "cmd-0027"}	f
38	c11b311a-ecc5-51d1-94b6-c2537ee78414	db45c02c-76b9-5574-b67d-c615f5f6a0ec	5	{"Amount": 225}	money_deposited	2025-03-04 15:34:18.949664+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0028	cmd-0028	{"user": "Acme Treasury", "command": "cmd-0028"}	f
39	65b2f655-e668-531c-9641-490bcee50395	db45c02c-76b9-5574-b67d-c615f5f6a0ec	6	{"Amount": 6}	money_deposited	2025-03-04 16:58:19.264582+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0028	cmd-0028	{"user": "Acme Treasury", "command": "cmd-0028"}	f
40	c601010b-fd04-567a-bf5a-fbd5903d68fa	d4b797dd-619b-5851-8035-d2d669550d84	4	{"Amount": 235}	money_deposited	2025-03-04 17:04:20.242715+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0029	cmd-0029	{"user": "Anna Schmidt", "command": "cmd-0029"}	f
41	749f1e7a-2746-5d4f-aec5-c4ab0aeb6599	db45c02c-76b9-5574-b67d-c615f5f6a0ec	7	{"Amount": 120}	money_deposited	2025-03-04 17:40:20.794597+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0030	cmd-0030	{"user": "Acme Treasury", "command": "cmd-0030"}	f
42	43966037-fc44-533c-be92-51acdfb583bd	db45c02c-76b9-5574-b67d-c615f5f6a0ec	8	{"Amount": 1}	money_deposited	2025-03-04 18:34:21.394304+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0030	cmd-0030	{"user": "Acme Treasury", "command": "cmd-0030"}	f
43	19a2e3cd-add5-5e10-ad3f-cfdfd385077c	952db3be-4e84-586e-82c1-9099c2948337	8	{"Amount": 265}	money_deposited	2025-03-04 20:04:22.186247+00	globex	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0031	cmd-0031	{"user": "Hank Scorpio", "command": "cmd-0031"}	f
44	bc57d04e-05f8-5673-9140-2eed5a073a9c	952db3be-4e84-586e-82c1-9099c2948337	9	{"Amount": 6}	money_deposited	2025-03-04 21:11:22.491628+00	globex	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0031	cmd-0031	{"user": "Hank Scorpio", "command": "cmd-0031"}	f
45	f192c77f-971e-5b35-96ab-031e12617ddc	d4b797dd-619b-5851-8035-d2d669550d84	5	{"Amount": 40}	money_withdrawn	2025-03-04 22:21:23.162946+00	acme	Bank.Domain.Events.MoneyWithdrawn, Bank.Domain	corr-0032	cmd-0032	{"user": "Anna Schmidt", "command": "cmd-0032"}	f
46	038ef424-1403-568f-9d59-ba93237a6b5f	d4b797dd-619b-5851-8035-d2d669550d84	6	{"Amount": 5}	money_deposited	2025-03-04 23:29:23.19109+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0032	cmd-0032	{"user": "Anna Schmidt", "command": "cmd-0032"}	f
47	b33ebbc8-a388-52ef-849e-7310544a9523	0f6e9282-58a1-5266-a2e3-2a21d1a5af06	6	{"Amount": 120}	money_deposited	2025-03-05 00:09:23.937088+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0033	cmd-0033	{"user": "Jörg Müller-Weiß", "command": "cmd-0033"}	f
48	111b28df-b70d-55a8-8a2f-9e230967ab5a	db45c02c-76b9-5574-b67d-c615f5f6a0ec	9	{"Amount": 20}	money_deposited	2025-03-05 00:11:24.241189+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0034	cmd-0034	{"user": "Acme Treasury", "command": "cmd-0034"}	f
49	a17ca604-64cb-59a2-bbe2-8e920a127d94	0f6e9282-58a1-5266-a2e3-2a21d1a5af06	7	{"Amount": 50}	money_deposited	2025-03-05 01:15:24.960337+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0035	cmd-0035	{"user": "Jörg Müller-Weiß", "command": "cmd-0035"}	f
50	54a14dd9-bdb6-5afa-9e82-b0b402dccfb1	0f6e9282-58a1-5266-a2e3-2a21d1a5af06	8	{"Amount": 155}	money_deposited	2025-03-05 01:22:25.692633+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0036	cmd-0036	{"user": "Jörg Müller-Weiß", "command": "cmd-0036"}	f
51	fe117352-ad2d-5fcd-858b-696139ef7388	0f6e9282-58a1-5266-a2e3-2a21d1a5af06	9	{"Amount": 10}	money_deposited	2025-03-05 01:23:25.854079+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0036	cmd-0036	{"user": "Jörg Müller-Weiß", "command": "cmd-0036"}	f
52	3ed9f85f-f7ca-567e-9195-2cdf29278351	db45c02c-76b9-5574-b67d-c615f5f6a0ec	10	{"Amount": 60}	money_withdrawn	2025-03-05 01:34:26.430282+00	acme	Bank.Domain.Events.MoneyWithdrawn, Bank.Domain	corr-0037	cmd-0037	{"user": "Acme Treasury", "command": "cmd-0037"}	f
53	27f4a0a3-dd05-505e-93c5-46faf527b9bb	9262e1b8-816d-5c89-a43c-0f2da19728a3	6	{"Amount": 110}	money_deposited	2025-03-05 01:46:26.667564+00	globex	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0038	cmd-0038	{"user": "Frank Grimes", "command": "cmd-0038"}	t
54	2099d047-d0e3-51f7-b1ac-856ea6f50e93	9262e1b8-816d-5c89-a43c-0f2da19728a3	7	{"Amount": 50}	money_deposited	2025-03-05 02:02:27.25606+00	globex	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0039	cmd-0039	{"user": "Frank Grimes", "command": "cmd-0039"}	t
55	7a104ba5-e22a-567d-b55d-8a1fd981343a	952db3be-4e84-586e-82c1-9099c2948337	10	{"Amount": 10}	money_withdrawn	2025-03-05 02:50:28.225083+00	globex	Bank.Domain.Events.MoneyWithdrawn, Bank.Domain	corr-0040	cmd-0040	{"user": "Hank Scorpio", "command": "cmd-0040"}	f
56	586379d4-b0ba-5c95-a021-c5f35752fb05	952db3be-4e84-586e-82c1-9099c2948337	11	{"Amount": 35}	money_withdrawn	2025-03-05 02:53:29.141263+00	globex	Bank.Domain.Events.MoneyWithdrawn, Bank.Domain	corr-0041	cmd-0041	{"user": "Hank Scorpio", "command": "cmd-0041"}	f
57	3af95ec8-1e77-525a-968c-89c02212f88f	d4b797dd-619b-5851-8035-d2d669550d84	7	{"Amount": 10}	money_withdrawn	2025-03-05 03:33:29.82582+00	acme	Bank.Domain.Events.MoneyWithdrawn, Bank.Domain	corr-0042	cmd-0042	{"user": "Anna Schmidt", "command": "cmd-0042"}	f
58	a7c11347-f681-5eaf-b5cf-0f0e9562c7ce	9262e1b8-816d-5c89-a43c-0f2da19728a3	8	{"Amount": 195}	money_deposited	2025-03-05 03:43:29.831546+00	globex	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0043	cmd-0043	{"user": "Frank Grimes", "command": "cmd-0043"}	t
59	3b35363c-8158-5b4e-a068-a4448ddb4e55	0f6e9282-58a1-5266-a2e3-2a21d1a5af06	10	{"Amount": 55}	money_withdrawn	2025-03-05 03:45:29.945823+00	acme	Bank.Domain.Events.MoneyWithdrawn, Bank.Domain	corr-0044	cmd-0044	{"user": "Jörg Müller-Weiß", "command": "cmd-0044"}	f
60	b9c47f8a-c58c-574e-b41c-5738312c0efe	d4b797dd-619b-5851-8035-d2d669550d84	8	{"Amount": 100}	money_withdrawn	2025-03-05 04:46:30.767266+00	acme	Bank.Domain.Events.MoneyWithdrawn, Bank.Domain	corr-0045	cmd-0045	{"user": "Anna Schmidt", "command": "cmd-0045"}	f
61	8d964fda-3319-5029-a86d-ef041ff6b2fa	d4b797dd-619b-5851-8035-d2d669550d84	9	{"Amount": 175}	money_deposited	2025-03-05 05:37:30.783589+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0046	cmd-0046	{"user": "Anna Schmidt", "command": "cmd-0046"}	f
62	943c40f9-15dc-552a-8481-81d706815edb	952db3be-4e84-586e-82c1-9099c2948337	12	{"Amount": 80}	money_deposited	2025-03-05 06:43:31.16483+00	globex	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0047	cmd-0047	{"user": "Hank Scorpio", "command": "cmd-0047"}	f
63	7d14f22b-6dca-564e-a3ad-40bec2176c27	952db3be-4e84-586e-82c1-9099c2948337	13	{"Amount": 2}	money_deposited	2025-03-05 07:48:31.514673+00	globex	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0047	cmd-0047	{"user": "Hank Scorpio", "command": "cmd-0047"}	f
64	70eb7ee4-303d-5e0e-b054-e72047c9d129	db45c02c-76b9-5574-b67d-c615f5f6a0ec	11	{"Amount": 90}	money_deposited	2025-03-05 08:29:32.06014+00	acme	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0048	cmd-0048	{"user": "Acme Treasury", "command": "cmd-0048"}	f
65	0a4d82c3-26e8-5f90-8fa2-afe62cfb6edb	952db3be-4e84-586e-82c1-9099c2948337	14	{"Amount": 5}	money_withdrawn	2025-03-05 09:25:32.716872+00	globex	Bank.Domain.Events.MoneyWithdrawn, Bank.Domain	corr-0049	cmd-0049	{"user": "Hank Scorpio", "command": "cmd-0049"}	f
66	e7fd1841-c8d6-59fb-ad3e-17277b269a93	9262e1b8-816d-5c89-a43c-0f2da19728a3	9	{"Amount": 125}	money_deposited	2025-03-05 10:44:33.477298+00	globex	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0050	cmd-0050	{"user": "Frank Grimes", "command": "cmd-0050"}	t
67	45c8ec60-509e-5854-8d1e-9a5151bc7901	9262e1b8-816d-5c89-a43c-0f2da19728a3	10	{"Amount": 5}	money_deposited	2025-03-05 11:51:33.741078+00	globex	Bank.Domain.Events.MoneyDeposited, Bank.Domain	corr-0050	cmd-0050	{"user": "Frank Grimes", "command": "cmd-0050"}	t
68	660a933f-64fa-5708-9c2f-93075cab9a8a	d4b797dd-619b-5851-8035-d2d669550d84	10	{"Amount": 10}	money_withdrawn	2025-03-05 12:59:34.6851+00	acme	Bank.Domain.Events.MoneyWithdrawn, Bank.Domain	corr-0051	cmd-0051	{"user": "Anna Schmidt", "command": "cmd-0051"}	f
69	1adfd0d5-669c-57f5-910b-4ba6bac7f87e	db45c02c-76b9-5574-b67d-c615f5f6a0ec	12	{"Amount": 15}	money_withdrawn	2025-03-05 13:39:35.177787+00	acme	Bank.Domain.Events.MoneyWithdrawn, Bank.Domain	corr-0052	cmd-0052	{"user": "Acme Treasury", "command": "cmd-0052"}	f
70	e06ba56f-f854-5f73-b8a4-5a7120105897	db45c02c-76b9-5574-b67d-c615f5f6a0ec	13	{"Amount": 90}	money_withdrawn	2025-03-05 14:03:35.476371+00	acme	Bank.Domain.Events.MoneyWithdrawn, Bank.Domain	corr-0053	cmd-0053	{"user": "Acme Treasury", "command": "cmd-0053"}	f
71	874171b5-344a-5a52-b730-dd9235db127d	342631b0-6e7d-5c48-b9ec-d728231b25e4	5	{"Email": "anna@schmidt.example"}	email_changed	2025-03-05 14:55:36.192224+00	acme	Bank.Domain.Events.EmailChanged, Bank.Domain	corr-0054	cmd-0054	{"user": "web", "command": "cmd-0054"}	f
72	d7a0428b-f468-5130-a938-127ee76fdca3	9262e1b8-816d-5c89-a43c-0f2da19728a3	11	{"Amount": 0}	money_withdrawn	2025-03-05 15:03:37.029458+00	globex	Bank.Domain.Events.MoneyWithdrawn, Bank.Domain	corr-0055	cmd-0055	{"user": "backoffice", "command": "cmd-0055"}	t
73	eff85ff2-3294-5a99-a5ec-e6e4192d9d80	9262e1b8-816d-5c89-a43c-0f2da19728a3	12	{"Reason": "moved away"}	account_closed	2025-03-05 15:23:37.570347+00	globex	Bank.Domain.Events.AccountClosed, Bank.Domain	corr-0055	cmd-0055	{"user": "backoffice", "command": "cmd-0055"}	t
\.


--
-- Data for Name: mt_streams; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.mt_streams (tenant_id, id, type, version, "timestamp", snapshot, snapshot_version, created, is_archived) FROM stdin;
acme	0f6e9282-58a1-5266-a2e3-2a21d1a5af06	bank_account	10	2026-12-01 23:59:50.094425+00	\N	\N	2026-12-01 23:59:50.064166+00	f
acme	342631b0-6e7d-5c48-b9ec-d728231b25e4	customer	5	2026-12-01 23:59:50.10143+00	\N	\N	2026-12-01 23:59:50.071029+00	f
acme	d4b797dd-619b-5851-8035-d2d669550d84	bank_account	10	2026-12-01 23:59:50.100204+00	\N	\N	2026-12-01 23:59:50.059936+00	f
acme	db45c02c-76b9-5574-b67d-c615f5f6a0ec	bank_account	13	2026-12-01 23:59:50.101034+00	\N	\N	2026-12-01 23:59:50.06479+00	f
globex	9262e1b8-816d-5c89-a43c-0f2da19728a3	bank_account	12	2026-12-01 23:59:50.10178+00	\N	\N	2026-12-01 23:59:50.070193+00	t
globex	952db3be-4e84-586e-82c1-9099c2948337	bank_account	14	2026-12-01 23:59:50.099425+00	\N	\N	2026-12-01 23:59:50.065344+00	f
globex	db45c02c-76b9-5574-b67d-c615f5f6a0ec	bank_account	6	2026-12-01 23:59:50.085167+00	\N	\N	2026-12-01 23:59:50.06592+00	f
globex	f130b921-588b-5fe3-81a8-e155c3aa4193	customer	3	2026-12-01 23:59:50.076084+00	\N	\N	2026-12-01 23:59:50.071477+00	f
\.


--
-- Name: mt_events_sequence; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.mt_events_sequence', 73, true);


--
-- Name: mt_events pkey_mt_events_seq_id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.mt_events
    ADD CONSTRAINT pkey_mt_events_seq_id PRIMARY KEY (seq_id);


--
-- Name: mt_streams pkey_mt_streams_tenant_id_id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.mt_streams
    ADD CONSTRAINT pkey_mt_streams_tenant_id_id PRIMARY KEY (tenant_id, id);


--
-- Name: pk_mt_events_stream_and_version; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX pk_mt_events_stream_and_version ON public.mt_events USING btree (tenant_id, stream_id, version);


--
-- Name: mt_events fkey_mt_events_stream_id_tenant_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.mt_events
    ADD CONSTRAINT fkey_mt_events_stream_id_tenant_id FOREIGN KEY (tenant_id, stream_id) REFERENCES public.mt_streams(tenant_id, id);


--
-- PostgreSQL database dump complete
--

\unrestrict eventscope

