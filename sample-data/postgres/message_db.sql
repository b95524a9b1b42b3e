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
-- Name: message_store; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA message_store;


--
-- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;


--
-- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';


--
-- Name: message; Type: TYPE; Schema: message_store; Owner: -
--

CREATE TYPE message_store.message AS (
	id character varying,
	stream_name character varying,
	type character varying,
	"position" bigint,
	global_position bigint,
	data character varying,
	metadata character varying,
	"time" timestamp without time zone
);


--
-- Name: acquire_lock(character varying); Type: FUNCTION; Schema: message_store; Owner: -
--

CREATE FUNCTION message_store.acquire_lock(stream_name character varying) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
DECLARE
  _category varchar;
  _category_name_hash bigint;
BEGIN
  _category := category(acquire_lock.stream_name);
  _category_name_hash := hash_64(_category);
  PERFORM pg_advisory_xact_lock(_category_name_hash);

  IF current_setting('message_store.debug_write', true) = 'on' OR current_setting('message_store.debug', true) = 'on' THEN
    RAISE NOTICE '» acquire_lock';
    RAISE NOTICE 'stream_name: %', acquire_lock.stream_name;
    RAISE NOTICE '_category: %', _category;
    RAISE NOTICE '_category_name_hash: %', _category_name_hash;
  END IF;

  RETURN _category_name_hash;
END;
$$;


--
-- Name: cardinal_id(character varying); Type: FUNCTION; Schema: message_store; Owner: -
--

CREATE FUNCTION message_store.cardinal_id(stream_name character varying) RETURNS character varying
    LANGUAGE plpgsql IMMUTABLE
    AS $$
DECLARE
  _id varchar;
BEGIN
  _id := id(cardinal_id.stream_name);

  IF _id IS NULL THEN
    RETURN NULL;
  END IF;

  RETURN SPLIT_PART(_id, '+', 1);
END;
$$;


--
-- Name: category(character varying); Type: FUNCTION; Schema: message_store; Owner: -
--

CREATE FUNCTION message_store.category(stream_name character varying) RETURNS character varying
    LANGUAGE plpgsql IMMUTABLE
    AS $$
BEGIN
  RETURN SPLIT_PART(category.stream_name, '-', 1);
END;
$$;


--
-- Name: get_category_messages(character varying, bigint, bigint, character varying, bigint, bigint, character varying); Type: FUNCTION; Schema: message_store; Owner: -
--

CREATE FUNCTION message_store.get_category_messages(category character varying, "position" bigint DEFAULT 1, batch_size bigint DEFAULT 1000, correlation character varying DEFAULT NULL::character varying, consumer_group_member bigint DEFAULT NULL::bigint, consumer_group_size bigint DEFAULT NULL::bigint, condition character varying DEFAULT NULL::character varying) RETURNS SETOF message_store.message
    LANGUAGE plpgsql
    AS $_$
DECLARE
  _command text;
BEGIN
  IF NOT is_category(get_category_messages.category) THEN
    RAISE EXCEPTION
      'Must be a category: %',
      get_category_messages.category;
  END IF;

  position := COALESCE(position, 1);
  batch_size := COALESCE(batch_size, 1000);

  _command := '
    SELECT
      id::varchar,
      stream_name::varchar,
      type::varchar,
      position::bigint,
      global_position::bigint,
      data::varchar,
      metadata::varchar,
      time::timestamp
    FROM
      messages
    WHERE
      category(stream_name) = $1 AND
      global_position >= $2';

  IF get_category_messages.correlation IS NOT NULL THEN
    IF position('-' IN get_category_messages.correlation) > 0 THEN
      RAISE EXCEPTION
        'Correlation must be a category (Correlation: %)',
        get_category_messages.correlation;
    END IF;

    _command := _command || ' AND
      category(metadata->>''correlationStreamName'') = $4';
  END IF;

  IF (get_category_messages.consumer_group_member IS NOT NULL AND
      get_category_messages.consumer_group_size IS NULL) OR
      (get_category_messages.consumer_group_member IS NULL AND
      get_category_messages.consumer_group_size IS NOT NULL) THEN

    RAISE EXCEPTION
      'Consumer group member and size must be specified (Consumer Group Member: %, Consumer Group Size: %)',
      get_category_messages.consumer_group_member,
      get_category_messages.consumer_group_size;
  END IF;

  IF get_category_messages.consumer_group_member IS NOT NULL AND
      get_category_messages.consumer_group_size IS NOT NULL THEN

    IF get_category_messages.consumer_group_size < 1 THEN
      RAISE EXCEPTION
        'Consumer group size must not be less than 1 (Consumer Group Member: %, Consumer Group Size: %)',
        get_category_messages.consumer_group_member,
        get_category_messages.consumer_group_size;
    END IF;

    IF get_category_messages.consumer_group_member < 0 THEN
      RAISE EXCEPTION
        'Consumer group member must not be less than 0 (Consumer Group Member: %, Consumer Group Size: %)',
        get_category_messages.consumer_group_member,
        get_category_messages.consumer_group_size;
    END IF;

    IF get_category_messages.consumer_group_member >= get_category_messages.consumer_group_size THEN
      RAISE EXCEPTION
        'Consumer group member must be less than the group size (Consumer Group Member: %, Consumer Group Size: %)',
        get_category_messages.consumer_group_member,
        get_category_messages.consumer_group_size;
    END IF;

    _command := _command || ' AND
      MOD(@hash_64(cardinal_id(stream_name)), $6) = $5';
  END IF;

  IF get_category_messages.condition IS NOT NULL THEN
    IF current_setting('message_store.sql_condition', true) IS NULL OR
        current_setting('message_store.sql_condition', true) = 'off' THEN
      RAISE EXCEPTION
        'Retrieval with SQL condition is not activated';
    END IF;

    _command := _command || ' AND
      (%s)';
    _command := format(_command, get_category_messages.condition);
  END IF;

  _command := _command || '
    ORDER BY
      global_position ASC';

  IF get_category_messages.batch_size != -1 THEN
    _command := _command || '
      LIMIT
        $3';
  END IF;

  IF current_setting('message_store.debug_get', true) = 'on' OR current_setting('message_store.debug', true) = 'on' THEN
    RAISE NOTICE '» get_category_messages';
    RAISE NOTICE 'category ($1): %', get_category_messages.category;
    RAISE NOTICE 'position ($2): %', get_category_messages.position;
    RAISE NOTICE 'batch_size ($3): %', get_category_messages.batch_size;
    RAISE NOTICE 'correlation ($4): %', get_category_messages.correlation;
    RAISE NOTICE 'consumer_group_member ($5): %', get_category_messages.consumer_group_member;
    RAISE NOTICE 'consumer_group_size ($6): %', get_category_messages.consumer_group_size;
    RAISE NOTICE 'condition: %', get_category_messages.condition;
    RAISE NOTICE 'Generated Command: %', _command;
  END IF;

  RETURN QUERY EXECUTE _command USING
    get_category_messages.category,
    get_category_messages.position,
    get_category_messages.batch_size,
    get_category_messages.correlation,
    get_category_messages.consumer_group_member,
    get_category_messages.consumer_group_size::smallint;
END;
$_$;


--
-- Name: get_last_stream_message(character varying, character varying); Type: FUNCTION; Schema: message_store; Owner: -
--

CREATE FUNCTION message_store.get_last_stream_message(stream_name character varying, type character varying DEFAULT NULL::character varying) RETURNS SETOF message_store.message
    LANGUAGE plpgsql
    AS $_$
DECLARE
  _command text;
BEGIN
  _command := '
    SELECT
      id::varchar,
      stream_name::varchar,
      type::varchar,
      position::bigint,
      global_position::bigint,
      data::varchar,
      metadata::varchar,
      time::timestamp
    FROM
      messages
    WHERE
      stream_name = $1';

  IF get_last_stream_message.type IS NOT NULL THEN
    _command := _command || ' AND
      type = $2';
  END IF;

  _command := _command || '
    ORDER BY
      position DESC
    LIMIT
      1';

  IF current_setting('message_store.debug_get', true) = 'on' OR current_setting('message_store.debug', true) = 'on' THEN
    RAISE NOTICE '» get_last_message';
    RAISE NOTICE 'stream_name ($1): %', get_last_stream_message.stream_name;
    RAISE NOTICE 'type ($2): %', get_last_stream_message.type;
    RAISE NOTICE 'Generated Command: %', _command;
  END IF;

  RETURN QUERY EXECUTE _command USING
    get_last_stream_message.stream_name,
    get_last_stream_message.type;
END;
$_$;


--
-- Name: get_stream_messages(character varying, bigint, bigint, character varying); Type: FUNCTION; Schema: message_store; Owner: -
--

CREATE FUNCTION message_store.get_stream_messages(stream_name character varying, "position" bigint DEFAULT 0, batch_size bigint DEFAULT 1000, condition character varying DEFAULT NULL::character varying) RETURNS SETOF message_store.message
    LANGUAGE plpgsql
    AS $_$
DECLARE
  _command text;
  _setting text;
BEGIN
  IF is_category(get_stream_messages.stream_name) THEN
    RAISE EXCEPTION
      'Must be a stream name: %',
      get_stream_messages.stream_name;
  END IF;

  position := COALESCE(position, 0);
  batch_size := COALESCE(batch_size, 1000);

  _command := '
    SELECT
      id::varchar,
      stream_name::varchar,
      type::varchar,
      position::bigint,
      global_position::bigint,
      data::varchar,
      metadata::varchar,
      time::timestamp
    FROM
      messages
    WHERE
      stream_name = $1 AND
      position >= $2';

  IF get_stream_messages.condition IS NOT NULL THEN
    IF current_setting('message_store.sql_condition', true) IS NULL OR
        current_setting('message_store.sql_condition', true) = 'off' THEN
      RAISE EXCEPTION
        'Retrieval with SQL condition is not activated';
    END IF;

    _command := _command || ' AND
      (%s)';
    _command := format(_command, get_stream_messages.condition);
  END IF;

  _command := _command || '
    ORDER BY
      position ASC';

  IF get_stream_messages.batch_size != -1 THEN
    _command := _command || '
      LIMIT
        $3';
  END IF;

  IF current_setting('message_store.debug_get', true) = 'on' OR current_setting('message_store.debug', true) = 'on' THEN
    RAISE NOTICE '» get_stream_messages';
    RAISE NOTICE 'stream_name ($1): %', get_stream_messages.stream_name;
    RAISE NOTICE 'position ($2): %', get_stream_messages.position;
    RAISE NOTICE 'batch_size ($3): %', get_stream_messages.batch_size;
    RAISE NOTICE 'condition ($4): %', get_stream_messages.condition;
    RAISE NOTICE 'Generated Command: %', _command;
  END IF;

  RETURN QUERY EXECUTE _command USING
    get_stream_messages.stream_name,
    get_stream_messages.position,
    get_stream_messages.batch_size;
END;
$_$;


--
-- Name: hash_64(character varying); Type: FUNCTION; Schema: message_store; Owner: -
--

CREATE FUNCTION message_store.hash_64(value character varying) RETURNS bigint
    LANGUAGE plpgsql IMMUTABLE
    AS $$
DECLARE
  _hash bigint;
BEGIN
  SELECT left('x' || md5(hash_64.value), 17)::bit(64)::bigint INTO _hash;
  return _hash;
END;
$$;


--
-- Name: id(character varying); Type: FUNCTION; Schema: message_store; Owner: -
--

CREATE FUNCTION message_store.id(stream_name character varying) RETURNS character varying
    LANGUAGE plpgsql IMMUTABLE
    AS $$
DECLARE
  _id_separator_position integer;
BEGIN
  _id_separator_position := STRPOS(id.stream_name, '-');

  IF _id_separator_position = 0 THEN
    RETURN NULL;
  END IF;

  RETURN SUBSTRING(id.stream_name, _id_separator_position + 1);
END;
$$;


--
-- Name: is_category(character varying); Type: FUNCTION; Schema: message_store; Owner: -
--

CREATE FUNCTION message_store.is_category(stream_name character varying) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE
    AS $$
BEGIN
  IF NOT STRPOS(is_category.stream_name, '-') = 0 THEN
    RETURN FALSE;
  END IF;

  RETURN TRUE;
END;
$$;


--
-- Name: message_store_version(); Type: FUNCTION; Schema: message_store; Owner: -
--

CREATE FUNCTION message_store.message_store_version() RETURNS character varying
    LANGUAGE plpgsql
    AS $$
BEGIN
  RETURN '1.3.0';
END;
$$;


--
-- Name: stream_version(character varying); Type: FUNCTION; Schema: message_store; Owner: -
--

CREATE FUNCTION message_store.stream_version(stream_name character varying) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
DECLARE
  _stream_version bigint;
BEGIN
  SELECT
    max(position) into _stream_version
  FROM
    messages
  WHERE
    messages.stream_name = stream_version.stream_name;

  RETURN _stream_version;
END;
$$;


--
-- Name: write_message(character varying, character varying, character varying, jsonb, jsonb, bigint); Type: FUNCTION; Schema: message_store; Owner: -
--

CREATE FUNCTION message_store.write_message(id character varying, stream_name character varying, type character varying, data jsonb, metadata jsonb DEFAULT NULL::jsonb, expected_version bigint DEFAULT NULL::bigint) RETURNS bigint
    LANGUAGE plpgsql
    AS $_$
DECLARE
  _message_id uuid;
  _stream_version bigint;
  _next_position bigint;
BEGIN
  PERFORM acquire_lock(write_message.stream_name);

  _stream_version := stream_version(write_message.stream_name);

  IF _stream_version IS NULL THEN
    _stream_version := -1;
  END IF;

  IF write_message.expected_version IS NOT NULL THEN
    IF write_message.expected_version != _stream_version THEN
      RAISE EXCEPTION
        'Wrong expected version: % (Stream: %, Stream Version: %)',
        write_message.expected_version,
        write_message.stream_name,
        _stream_version;
    END IF;
  END IF;

  _next_position := _stream_version + 1;

  _message_id = uuid(write_message.id);

  INSERT INTO messages
    (
      id,
      stream_name,
      position,
      type,
      data,
      metadata
    )
  VALUES
    (
      _message_id,
      write_message.stream_name,
      _next_position,
      write_message.type,
      write_message.data,
      write_message.metadata
    )
  ;

  IF current_setting('message_store.debug_write', true) = 'on' OR current_setting('message_store.debug', true) = 'on' THEN
    RAISE NOTICE '» write_message';
    RAISE NOTICE 'id ($1): %', write_message.id;
    RAISE NOTICE 'stream_name ($2): %', write_message.stream_name;
    RAISE NOTICE 'type ($3): %', write_message.type;
    RAISE NOTICE 'data ($4): %', write_message.data;
    RAISE NOTICE 'metadata ($5): %', write_message.metadata;
    RAISE NOTICE 'expected_version ($6): %', write_message.expected_version;
    RAISE NOTICE '_stream_version: %', _stream_version;
    RAISE NOTICE '_next_position: %', _next_position;
  END IF;

  RETURN _next_position;
END;
$_$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: messages; Type: TABLE; Schema: message_store; Owner: -
--

CREATE TABLE message_store.messages (
    global_position bigint NOT NULL,
    "position" bigint NOT NULL,
    "time" timestamp without time zone DEFAULT (now() AT TIME ZONE 'utc'::text) NOT NULL,
    stream_name text NOT NULL,
    type text NOT NULL,
    data jsonb,
    metadata jsonb,
    id uuid DEFAULT gen_random_uuid() NOT NULL
);


--
-- Name: category_type_summary; Type: VIEW; Schema: message_store; Owner: -
--

CREATE VIEW message_store.category_type_summary AS
 WITH type_count AS (
         SELECT message_store.category((messages.stream_name)::character varying) AS category,
            messages.type,
            count(messages.id) AS message_count
           FROM message_store.messages
          GROUP BY (message_store.category((messages.stream_name)::character varying)), messages.type
        ), total_count AS (
         SELECT (count(messages.id))::numeric AS total_count
           FROM message_store.messages
        )
 SELECT type_count.category,
    type_count.type,
    type_count.message_count,
    round((((type_count.message_count)::numeric / total_count.total_count) * (100)::numeric), 2) AS percent
   FROM type_count,
    total_count
  ORDER BY type_count.category, type_count.type;


--
-- Name: messages_global_position_seq; Type: SEQUENCE; Schema: message_store; Owner: -
--

CREATE SEQUENCE message_store.messages_global_position_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: messages_global_position_seq; Type: SEQUENCE OWNED BY; Schema: message_store; Owner: -
--

ALTER SEQUENCE message_store.messages_global_position_seq OWNED BY message_store.messages.global_position;


--
-- Name: stream_summary; Type: VIEW; Schema: message_store; Owner: -
--

CREATE VIEW message_store.stream_summary AS
 WITH stream_count AS (
         SELECT messages.stream_name,
            count(messages.id) AS message_count
           FROM message_store.messages
          GROUP BY messages.stream_name
        ), total_count AS (
         SELECT (count(messages.id))::numeric AS total_count
           FROM message_store.messages
        )
 SELECT stream_count.stream_name,
    stream_count.message_count,
    round((((stream_count.message_count)::numeric / total_count.total_count) * (100)::numeric), 2) AS percent
   FROM stream_count,
    total_count
  ORDER BY stream_count.stream_name;


--
-- Name: stream_type_summary; Type: VIEW; Schema: message_store; Owner: -
--

CREATE VIEW message_store.stream_type_summary AS
 WITH type_count AS (
         SELECT messages.stream_name,
            messages.type,
            count(messages.id) AS message_count
           FROM message_store.messages
          GROUP BY messages.stream_name, messages.type
        ), total_count AS (
         SELECT (count(messages.id))::numeric AS total_count
           FROM message_store.messages
        )
 SELECT type_count.stream_name,
    type_count.type,
    type_count.message_count,
    round((((type_count.message_count)::numeric / total_count.total_count) * (100)::numeric), 2) AS percent
   FROM type_count,
    total_count
  ORDER BY type_count.stream_name, type_count.type;


--
-- Name: type_category_summary; Type: VIEW; Schema: message_store; Owner: -
--

CREATE VIEW message_store.type_category_summary AS
 WITH type_count AS (
         SELECT messages.type,
            message_store.category((messages.stream_name)::character varying) AS category,
            count(messages.id) AS message_count
           FROM message_store.messages
          GROUP BY messages.type, (message_store.category((messages.stream_name)::character varying))
        ), total_count AS (
         SELECT (count(messages.id))::numeric AS total_count
           FROM message_store.messages
        )
 SELECT type_count.type,
    type_count.category,
    type_count.message_count,
    round((((type_count.message_count)::numeric / total_count.total_count) * (100)::numeric), 2) AS percent
   FROM type_count,
    total_count
  ORDER BY type_count.type, type_count.category;


--
-- Name: type_stream_summary; Type: VIEW; Schema: message_store; Owner: -
--

CREATE VIEW message_store.type_stream_summary AS
 WITH type_count AS (
         SELECT messages.type,
            messages.stream_name,
            count(messages.id) AS message_count
           FROM message_store.messages
          GROUP BY messages.type, messages.stream_name
        ), total_count AS (
         SELECT (count(messages.id))::numeric AS total_count
           FROM message_store.messages
        )
 SELECT type_count.type,
    type_count.stream_name,
    type_count.message_count,
    round((((type_count.message_count)::numeric / total_count.total_count) * (100)::numeric), 2) AS percent
   FROM type_count,
    total_count
  ORDER BY type_count.type, type_count.stream_name;


--
-- Name: type_summary; Type: VIEW; Schema: message_store; Owner: -
--

CREATE VIEW message_store.type_summary AS
 WITH type_count AS (
         SELECT messages.type,
            count(messages.id) AS message_count
           FROM message_store.messages
          GROUP BY messages.type
        ), total_count AS (
         SELECT (count(messages.id))::numeric AS total_count
           FROM message_store.messages
        )
 SELECT type_count.type,
    type_count.message_count,
    round((((type_count.message_count)::numeric / total_count.total_count) * (100)::numeric), 2) AS percent
   FROM type_count,
    total_count
  ORDER BY type_count.type;


--
-- Name: messages global_position; Type: DEFAULT; Schema: message_store; Owner: -
--

ALTER TABLE ONLY message_store.messages ALTER COLUMN global_position SET DEFAULT nextval('message_store.messages_global_position_seq'::regclass);


--
-- Data for Name: messages; Type: TABLE DATA; Schema: message_store; Owner: -
--

COPY message_store.messages (global_position, "position", "time", stream_name, type, data, metadata, id) FROM stdin;
1	0	2026-12-01 05:14:31.30221	account:command-86134647-2023-59d1-8e0f-0855327e4e76	Open	{"time": "2024-05-06T09:44:00.114Z", "owner": "Anna Schmidt", "currency": "EUR", "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "customerId": "b53926f2-b7cd-5842-bce6-6c3b44088f17"}	{"schemaVersion": "1", "replyStreamName": "accountOpening-86134647-2023-59d1-8e0f-0855327e4e76", "correlationStreamName": "accountOpening-86134647-2023-59d1-8e0f-0855327e4e76"}	01eb7f04-379e-5335-8863-c583a9e73972
2	0	2026-12-01 05:14:31.306613	account-86134647-2023-59d1-8e0f-0855327e4e76	Opened	{"time": "2024-05-06T09:44:00.114Z", "owner": "Anna Schmidt", "currency": "EUR", "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "customerId": "b53926f2-b7cd-5842-bce6-6c3b44088f17", "processedTime": "2024-05-06T09:51:00.873Z"}	{"schemaVersion": "1", "correlationStreamName": "accountOpening-86134647-2023-59d1-8e0f-0855327e4e76", "causationMessagePosition": 0, "causationMessageStreamName": "account:command-86134647-2023-59d1-8e0f-0855327e4e76", "causationMessageGlobalPosition": 1}	89aa42e0-fce6-5a51-905a-13128ce5d7cd
3	1	2026-12-01 05:14:31.307435	account:command-86134647-2023-59d1-8e0f-0855327e4e76	Deposit	{"time": "2024-05-06T11:02:01.123Z", "amount": 3905, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "depositId": "438e76ad-a24f-5868-ac44-fe62e8cc7bd5"}	{"schemaVersion": "1", "replyStreamName": "accountOpening-86134647-2023-59d1-8e0f-0855327e4e76", "correlationStreamName": "accountOpening-86134647-2023-59d1-8e0f-0855327e4e76"}	d135202f-6487-5d66-9ba3-095d48f027af
4	1	2026-12-01 05:14:31.308245	account-86134647-2023-59d1-8e0f-0855327e4e76	Deposited	{"time": "2024-05-06T11:02:01.123Z", "amount": 3905, "sequence": 3, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "depositId": "438e76ad-a24f-5868-ac44-fe62e8cc7bd5", "processedTime": "2024-05-06T12:00:01.265Z"}	{"schemaVersion": "1", "correlationStreamName": "accountOpening-86134647-2023-59d1-8e0f-0855327e4e76", "causationMessagePosition": 1, "causationMessageStreamName": "account:command-86134647-2023-59d1-8e0f-0855327e4e76", "causationMessageGlobalPosition": 3}	4422e179-eea0-5b14-ad9b-34b1c112b2e9
5	0	2026-12-01 05:14:31.309074	account:command-86ab7d14-33af-55df-8264-4833796fa654	Open	{"time": "2024-05-06T15:09:01.369Z", "owner": "Jörg Müller", "currency": "EUR", "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "customerId": "a16917c0-9297-5eee-a15e-3d9ec9b41d38"}	{"schemaVersion": "1", "replyStreamName": "accountOpening-86ab7d14-33af-55df-8264-4833796fa654", "correlationStreamName": "accountOpening-86ab7d14-33af-55df-8264-4833796fa654"}	bd4a57aa-416e-5c87-9a2a-f890efd49423
6	0	2026-12-01 05:14:31.310311	account-86ab7d14-33af-55df-8264-4833796fa654	Opened	{"time": "2024-05-06T15:09:01.369Z", "owner": "Jörg Müller", "currency": "EUR", "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "customerId": "a16917c0-9297-5eee-a15e-3d9ec9b41d38", "processedTime": "2024-05-06T18:03:02.127Z"}	{"schemaVersion": "1", "correlationStreamName": "accountOpening-86ab7d14-33af-55df-8264-4833796fa654", "causationMessagePosition": 0, "causationMessageStreamName": "account:command-86ab7d14-33af-55df-8264-4833796fa654", "causationMessageGlobalPosition": 5}	0be5c49a-5770-5ba7-9dde-158d35f61127
7	1	2026-12-01 05:14:31.311081	account:command-86ab7d14-33af-55df-8264-4833796fa654	Deposit	{"time": "2024-05-06T21:52:02.685Z", "amount": 1579, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "depositId": "f9039976-9f81-57a4-b564-f44c63e313fb"}	{"schemaVersion": "1", "replyStreamName": "accountOpening-86ab7d14-33af-55df-8264-4833796fa654", "correlationStreamName": "accountOpening-86ab7d14-33af-55df-8264-4833796fa654"}	fcc39080-5763-5b35-8987-711901fdadb3
8	1	2026-12-01 05:14:31.311907	account-86ab7d14-33af-55df-8264-4833796fa654	Deposited	{"time": "2024-05-06T21:52:02.685Z", "amount": 1579, "sequence": 7, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "depositId": "f9039976-9f81-57a4-b564-f44c63e313fb", "processedTime": "2024-05-06T22:15:03.289Z"}	{"schemaVersion": "1", "correlationStreamName": "accountOpening-86ab7d14-33af-55df-8264-4833796fa654", "causationMessagePosition": 1, "causationMessageStreamName": "account:command-86ab7d14-33af-55df-8264-4833796fa654", "causationMessageGlobalPosition": 7}	9576abd6-ed4d-544d-abc8-55464d691540
9	0	2026-12-01 05:14:31.312459	account:command-78e0e5d3-3b80-5cf5-9c85-12329930374f	Open	{"time": "2024-05-07T00:04:03.321Z", "owner": "Oliver Brown", "currency": "EUR", "accountId": "78e0e5d3-3b80-5cf5-9c85-12329930374f", "customerId": "094a3683-3a64-595a-b2d3-8ec0e7784489"}	{"schemaVersion": "1", "replyStreamName": "accountOpening-78e0e5d3-3b80-5cf5-9c85-12329930374f", "correlationStreamName": "accountOpening-78e0e5d3-3b80-5cf5-9c85-12329930374f"}	6eff46c7-5fe5-5d53-8acd-a30fecb25a26
10	0	2026-12-01 05:14:31.313022	account-78e0e5d3-3b80-5cf5-9c85-12329930374f	Opened	{"time": "2024-05-07T00:04:03.321Z", "owner": "Oliver Brown", "currency": "EUR", "accountId": "78e0e5d3-3b80-5cf5-9c85-12329930374f", "customerId": "094a3683-3a64-595a-b2d3-8ec0e7784489", "processedTime": "2024-05-07T00:12:03.416Z"}	{"schemaVersion": "1", "correlationStreamName": "accountOpening-78e0e5d3-3b80-5cf5-9c85-12329930374f", "causationMessagePosition": 0, "causationMessageStreamName": "account:command-78e0e5d3-3b80-5cf5-9c85-12329930374f", "causationMessageGlobalPosition": 9}	007d5d8e-f7b6-5812-8097-d8c1fcca75f4
11	1	2026-12-01 05:14:31.313458	account:command-78e0e5d3-3b80-5cf5-9c85-12329930374f	Deposit	{"time": "2024-05-07T01:08:03.654Z", "amount": 733, "accountId": "78e0e5d3-3b80-5cf5-9c85-12329930374f", "depositId": "565f70a7-32f9-53ed-9ad3-045a8beeb7d9"}	{"schemaVersion": "1", "replyStreamName": "accountOpening-78e0e5d3-3b80-5cf5-9c85-12329930374f", "correlationStreamName": "accountOpening-78e0e5d3-3b80-5cf5-9c85-12329930374f"}	081e83e4-f199-57c3-b155-1908cf067467
12	1	2026-12-01 05:14:31.314066	account-78e0e5d3-3b80-5cf5-9c85-12329930374f	Deposited	{"time": "2024-05-07T01:08:03.654Z", "amount": 733, "sequence": 11, "accountId": "78e0e5d3-3b80-5cf5-9c85-12329930374f", "depositId": "565f70a7-32f9-53ed-9ad3-045a8beeb7d9", "processedTime": "2024-05-07T03:18:04.270Z"}	{"schemaVersion": "1", "correlationStreamName": "accountOpening-78e0e5d3-3b80-5cf5-9c85-12329930374f", "causationMessagePosition": 1, "causationMessageStreamName": "account:command-78e0e5d3-3b80-5cf5-9c85-12329930374f", "causationMessageGlobalPosition": 11}	060c9c9d-fc77-54e3-b9f2-96c5e502fda6
13	0	2026-12-01 05:14:31.314531	account:command-7899e742-4f32-5f37-96b5-550fd87d42bc	Open	{"time": "2024-05-07T03:25:04.844Z", "owner": "Maria García", "currency": "EUR", "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "customerId": "ac5bfa74-9a9a-5163-a058-303d7b98c1f6"}	{"schemaVersion": "1", "replyStreamName": "accountOpening-7899e742-4f32-5f37-96b5-550fd87d42bc", "correlationStreamName": "accountOpening-7899e742-4f32-5f37-96b5-550fd87d42bc"}	d21b40d3-7f56-5768-a4a8-0369de2a7bce
14	0	2026-12-01 05:14:31.315026	account-7899e742-4f32-5f37-96b5-550fd87d42bc	Opened	{"time": "2024-05-07T03:25:04.844Z", "owner": "Maria García", "currency": "EUR", "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "customerId": "ac5bfa74-9a9a-5163-a058-303d7b98c1f6", "processedTime": "2024-05-07T04:16:05.577Z"}	{"schemaVersion": "1", "correlationStreamName": "accountOpening-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessagePosition": 0, "causationMessageStreamName": "account:command-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessageGlobalPosition": 13}	b9547dd1-deab-5490-9a53-e66f87a6f678
15	1	2026-12-01 05:14:31.315413	account:command-7899e742-4f32-5f37-96b5-550fd87d42bc	Deposit	{"time": "2024-05-07T07:03:06.295Z", "amount": 3697, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "depositId": "4cd833b6-e8ce-5de7-9218-d38cbb4fe3ad"}	{"schemaVersion": "1", "replyStreamName": "accountOpening-7899e742-4f32-5f37-96b5-550fd87d42bc", "correlationStreamName": "accountOpening-7899e742-4f32-5f37-96b5-550fd87d42bc"}	691deeb7-f2a3-5978-9d6f-093b8645074a
16	1	2026-12-01 05:14:31.316007	account-7899e742-4f32-5f37-96b5-550fd87d42bc	Deposited	{"time": "2024-05-07T07:03:06.295Z", "amount": 3697, "sequence": 15, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "depositId": "4cd833b6-e8ce-5de7-9218-d38cbb4fe3ad", "processedTime": "2024-05-07T09:23:06.724Z"}	{"schemaVersion": "1", "correlationStreamName": "accountOpening-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessagePosition": 1, "causationMessageStreamName": "account:command-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessageGlobalPosition": 15}	70d6217e-5a7e-5f01-9992-04f2caff7388
17	0	2026-12-01 05:14:31.316407	account:command-0d67c180-f049-504e-9e19-740ae6a34c17	Open	{"time": "2024-05-07T10:20:07.183Z", "owner": "Zofia Kowalska", "currency": "EUR", "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "customerId": "707620c5-bb26-57cf-8dd6-0d158e11fefb"}	{"schemaVersion": "1", "replyStreamName": "accountOpening-0d67c180-f049-504e-9e19-740ae6a34c17", "correlationStreamName": "accountOpening-0d67c180-f049-504e-9e19-740ae6a34c17"}	b6ca6d30-e380-5c37-9cc9-a6081ea90f16
18	0	2026-12-01 05:14:31.316872	account-0d67c180-f049-504e-9e19-740ae6a34c17	Opened	{"time": "2024-05-07T10:20:07.183Z", "owner": "Zofia Kowalska", "currency": "EUR", "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "customerId": "707620c5-bb26-57cf-8dd6-0d158e11fefb", "processedTime": "2024-05-07T12:51:07.467Z"}	{"schemaVersion": "1", "correlationStreamName": "accountOpening-0d67c180-f049-504e-9e19-740ae6a34c17", "causationMessagePosition": 0, "causationMessageStreamName": "account:command-0d67c180-f049-504e-9e19-740ae6a34c17", "causationMessageGlobalPosition": 17}	0472157a-d452-5f0a-892a-f65a4c2b75f9
19	1	2026-12-01 05:14:31.317244	account:command-0d67c180-f049-504e-9e19-740ae6a34c17	Deposit	{"time": "2024-05-07T16:19:08.357Z", "amount": 3604, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "depositId": "8f5c6f01-6909-5732-b89f-4b580c571481"}	{"schemaVersion": "1", "replyStreamName": "accountOpening-0d67c180-f049-504e-9e19-740ae6a34c17", "correlationStreamName": "accountOpening-0d67c180-f049-504e-9e19-740ae6a34c17"}	57c03072-c9e0-5bba-86eb-12b6d11225f5
20	1	2026-12-01 05:14:31.3177	account-0d67c180-f049-504e-9e19-740ae6a34c17	Deposited	{"time": "2024-05-07T16:19:08.357Z", "amount": 3604, "sequence": 19, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "depositId": "8f5c6f01-6909-5732-b89f-4b580c571481", "processedTime": "2024-05-07T16:21:09.134Z"}	{"schemaVersion": "1", "correlationStreamName": "accountOpening-0d67c180-f049-504e-9e19-740ae6a34c17", "causationMessagePosition": 1, "causationMessageStreamName": "account:command-0d67c180-f049-504e-9e19-740ae6a34c17", "causationMessageGlobalPosition": 19}	d5bd506e-ab90-51dc-b821-840290ba6801
21	2	2026-12-01 05:14:31.318086	account:command-78e0e5d3-3b80-5cf5-9c85-12329930374f	Deposit	{"time": "2024-05-07T19:48:09.297Z", "amount": 468.83, "accountId": "78e0e5d3-3b80-5cf5-9c85-12329930374f", "depositId": "338b7306-a431-5d56-8d00-9edd4407c595"}	{"schemaVersion": "1", "replyStreamName": "account-78e0e5d3-3b80-5cf5-9c85-12329930374f", "correlationStreamName": "account-78e0e5d3-3b80-5cf5-9c85-12329930374f"}	3ad48e5d-eac6-544c-b935-5844b6b7b873
22	2	2026-12-01 05:14:31.318566	account-78e0e5d3-3b80-5cf5-9c85-12329930374f	Deposited	{"time": "2024-05-07T19:48:09.297Z", "amount": 468.83, "sequence": 21, "accountId": "78e0e5d3-3b80-5cf5-9c85-12329930374f", "depositId": "338b7306-a431-5d56-8d00-9edd4407c595", "processedTime": "2024-05-07T22:47:09.729Z"}	{"schemaVersion": "1", "correlationStreamName": "account-78e0e5d3-3b80-5cf5-9c85-12329930374f", "causationMessagePosition": 2, "causationMessageStreamName": "account:command-78e0e5d3-3b80-5cf5-9c85-12329930374f", "causationMessageGlobalPosition": 21}	0ad89fd1-9c71-5a28-9192-5f3776b0e716
23	0	2026-12-01 05:14:31.318969	withdrawal-3296f91f-613f-53a7-a8da-e82791470e7e	Initiated	{"time": "2024-05-08T00:15:10.013Z", "amount": 401.88, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "withdrawalId": "3296f91f-613f-53a7-a8da-e82791470e7e"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-3296f91f-613f-53a7-a8da-e82791470e7e"}	6660d8d5-16fc-5ced-b917-c9a0f75a1638
24	2	2026-12-01 05:14:31.319332	account:command-86134647-2023-59d1-8e0f-0855327e4e76	Withdraw	{"time": "2024-05-08T00:55:10.233Z", "amount": 401.88, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "withdrawalId": "3296f91f-613f-53a7-a8da-e82791470e7e"}	{"schemaVersion": "1", "replyStreamName": "withdrawal-3296f91f-613f-53a7-a8da-e82791470e7e", "correlationStreamName": "withdrawal-3296f91f-613f-53a7-a8da-e82791470e7e"}	96393ec4-aa63-5125-8a75-946b2f8c2ab3
25	2	2026-12-01 05:14:31.319791	account-86134647-2023-59d1-8e0f-0855327e4e76	Withdrawn	{"time": "2024-05-08T00:55:10.233Z", "amount": 401.88, "sequence": 24, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "withdrawalId": "3296f91f-613f-53a7-a8da-e82791470e7e", "processedTime": "2024-05-08T04:11:10.577Z"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-3296f91f-613f-53a7-a8da-e82791470e7e", "causationMessagePosition": 2, "causationMessageStreamName": "account:command-86134647-2023-59d1-8e0f-0855327e4e76", "causationMessageGlobalPosition": 24}	f55c09f2-657b-5164-95ec-19cee64c7a22
26	1	2026-12-01 05:14:31.320152	withdrawal-3296f91f-613f-53a7-a8da-e82791470e7e	Completed	{"time": "2024-05-08T04:38:10.671Z", "amount": 401.88, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "withdrawalId": "3296f91f-613f-53a7-a8da-e82791470e7e"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-3296f91f-613f-53a7-a8da-e82791470e7e", "causationMessagePosition": 2, "causationMessageStreamName": "account-86134647-2023-59d1-8e0f-0855327e4e76", "causationMessageGlobalPosition": 25}	c4ab9ac5-3d44-5a3a-bd87-29b204a9f08d
27	0	2026-12-01 05:14:31.320549	withdrawal-c4fcc4b5-1dca-5919-8849-04ec0c4dfa71	Initiated	{"time": "2024-05-08T06:16:10.770Z", "amount": 1196.31, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "withdrawalId": "c4fcc4b5-1dca-5919-8849-04ec0c4dfa71"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-c4fcc4b5-1dca-5919-8849-04ec0c4dfa71"}	6ee4e52e-1312-52e4-8da6-4f3f4149aa0e
28	2	2026-12-01 05:14:31.320919	account:command-0d67c180-f049-504e-9e19-740ae6a34c17	Withdraw	{"time": "2024-05-08T07:48:11.637Z", "amount": 1196.31, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "withdrawalId": "c4fcc4b5-1dca-5919-8849-04ec0c4dfa71"}	{"schemaVersion": "1", "replyStreamName": "withdrawal-c4fcc4b5-1dca-5919-8849-04ec0c4dfa71", "correlationStreamName": "withdrawal-c4fcc4b5-1dca-5919-8849-04ec0c4dfa71"}	268ee8d9-c922-50a9-8eb1-aa697b6f151f
43	0	2026-12-01 05:14:31.327098	withdrawal-8e6e17c6-9de8-5cfc-a2ab-4cb553a13cec	Initiated	{"time": "2024-05-09T09:58:20.576Z", "amount": 1521.91, "accountId": "78e0e5d3-3b80-5cf5-9c85-12329930374f", "withdrawalId": "8e6e17c6-9de8-5cfc-a2ab-4cb553a13cec"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-8e6e17c6-9de8-5cfc-a2ab-4cb553a13cec"}	d128a79d-1bbe-5475-a9f5-0fbce4778e93
29	2	2026-12-01 05:14:31.32137	account-0d67c180-f049-504e-9e19-740ae6a34c17	Withdrawn	{"time": "2024-05-08T07:48:11.637Z", "amount": 1196.31, "sequence": 28, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "withdrawalId": "c4fcc4b5-1dca-5919-8849-04ec0c4dfa71", "processedTime": "2024-05-08T09:17:12.255Z"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-c4fcc4b5-1dca-5919-8849-04ec0c4dfa71", "causationMessagePosition": 2, "causationMessageStreamName": "account:command-0d67c180-f049-504e-9e19-740ae6a34c17", "causationMessageGlobalPosition": 28}	040ef177-938f-54ea-810e-48e7f98b5820
30	1	2026-12-01 05:14:31.321769	withdrawal-c4fcc4b5-1dca-5919-8849-04ec0c4dfa71	Completed	{"time": "2024-05-08T10:25:13.081Z", "amount": 1196.31, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "withdrawalId": "c4fcc4b5-1dca-5919-8849-04ec0c4dfa71"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-c4fcc4b5-1dca-5919-8849-04ec0c4dfa71", "causationMessagePosition": 2, "causationMessageStreamName": "account-0d67c180-f049-504e-9e19-740ae6a34c17", "causationMessageGlobalPosition": 29}	288529bf-5c7b-5a32-9c50-ab9e5aee2c14
31	3	2026-12-01 05:14:31.322147	account:command-86134647-2023-59d1-8e0f-0855327e4e76	Deposit	{"time": "2024-05-08T10:37:13.828Z", "amount": 136.44, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "depositId": "616fd400-0d5d-5967-b6cd-d7b154cf4e1c"}	{"schemaVersion": "1", "replyStreamName": "account-86134647-2023-59d1-8e0f-0855327e4e76", "correlationStreamName": "account-86134647-2023-59d1-8e0f-0855327e4e76"}	5d23599f-5eeb-52ef-8a87-c6b8fff89c3f
32	3	2026-12-01 05:14:31.322598	account-86134647-2023-59d1-8e0f-0855327e4e76	Deposited	{"time": "2024-05-08T10:37:13.828Z", "amount": 136.44, "sequence": 31, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "depositId": "616fd400-0d5d-5967-b6cd-d7b154cf4e1c", "processedTime": "2024-05-08T12:35:14.377Z"}	{"schemaVersion": "1", "correlationStreamName": "account-86134647-2023-59d1-8e0f-0855327e4e76", "causationMessagePosition": 3, "causationMessageStreamName": "account:command-86134647-2023-59d1-8e0f-0855327e4e76", "causationMessageGlobalPosition": 31}	6f06c8ab-5136-5b54-8d26-453e98c3bf75
33	3	2026-12-01 05:14:31.322986	account:command-78e0e5d3-3b80-5cf5-9c85-12329930374f	Deposit	{"time": "2024-05-08T13:07:15.373Z", "amount": 648.82, "accountId": "78e0e5d3-3b80-5cf5-9c85-12329930374f", "depositId": "b883efb2-aa99-5ddf-bec2-93d61db7b9aa"}	{"schemaVersion": "1", "replyStreamName": "account-78e0e5d3-3b80-5cf5-9c85-12329930374f", "correlationStreamName": "account-78e0e5d3-3b80-5cf5-9c85-12329930374f"}	a3afff12-d8d7-5800-920e-671dcb89d665
34	3	2026-12-01 05:14:31.323438	account-78e0e5d3-3b80-5cf5-9c85-12329930374f	Deposited	{"time": "2024-05-08T13:07:15.373Z", "amount": 648.82, "sequence": 33, "accountId": "78e0e5d3-3b80-5cf5-9c85-12329930374f", "depositId": "b883efb2-aa99-5ddf-bec2-93d61db7b9aa", "processedTime": "2024-05-08T17:04:15.760Z"}	{"schemaVersion": "1", "correlationStreamName": "account-78e0e5d3-3b80-5cf5-9c85-12329930374f", "causationMessagePosition": 3, "causationMessageStreamName": "account:command-78e0e5d3-3b80-5cf5-9c85-12329930374f", "causationMessageGlobalPosition": 33}	ffdfce62-ae6b-5d83-9968-6304c794c3ad
35	0	2026-12-01 05:14:31.32383	withdrawal-c738af93-cdff-5810-914d-42955092db5f	Initiated	{"time": "2024-05-08T17:25:16.325Z", "amount": 591.93, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "withdrawalId": "c738af93-cdff-5810-914d-42955092db5f"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-c738af93-cdff-5810-914d-42955092db5f"}	c4283a6d-c083-57b4-a01e-d6e6982157ff
36	3	2026-12-01 05:14:31.324185	account:command-0d67c180-f049-504e-9e19-740ae6a34c17	Withdraw	{"time": "2024-05-08T18:41:17.174Z", "amount": 591.93, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "withdrawalId": "c738af93-cdff-5810-914d-42955092db5f"}	{"schemaVersion": "1", "replyStreamName": "withdrawal-c738af93-cdff-5810-914d-42955092db5f", "correlationStreamName": "withdrawal-c738af93-cdff-5810-914d-42955092db5f"}	36d9682f-eb03-5d38-be52-cbddf30a0a4d
37	3	2026-12-01 05:14:31.324669	account-0d67c180-f049-504e-9e19-740ae6a34c17	Withdrawn	{"time": "2024-05-08T18:41:17.174Z", "amount": 591.93, "sequence": 36, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "withdrawalId": "c738af93-cdff-5810-914d-42955092db5f", "processedTime": "2024-05-08T21:22:17.807Z"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-c738af93-cdff-5810-914d-42955092db5f", "causationMessagePosition": 3, "causationMessageStreamName": "account:command-0d67c180-f049-504e-9e19-740ae6a34c17", "causationMessageGlobalPosition": 36}	937eb8e9-8202-539a-9a5c-87f74a3aed83
38	1	2026-12-01 05:14:31.325032	withdrawal-c738af93-cdff-5810-914d-42955092db5f	Completed	{"time": "2024-05-09T01:09:18.689Z", "amount": 591.93, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "withdrawalId": "c738af93-cdff-5810-914d-42955092db5f"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-c738af93-cdff-5810-914d-42955092db5f", "causationMessagePosition": 3, "causationMessageStreamName": "account-0d67c180-f049-504e-9e19-740ae6a34c17", "causationMessageGlobalPosition": 37}	887920d0-9a5e-5f4f-843d-061e8e32f936
39	2	2026-12-01 05:14:31.32541	account:command-7899e742-4f32-5f37-96b5-550fd87d42bc	Deposit	{"time": "2024-05-09T02:42:19.280Z", "amount": 254.11, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "depositId": "d97cf011-69cb-5c34-a644-b5539db67336"}	{"schemaVersion": "1", "replyStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc", "correlationStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc"}	8c61f5cf-615c-56d4-aeb6-32ca748b5fce
40	2	2026-12-01 05:14:31.32587	account-7899e742-4f32-5f37-96b5-550fd87d42bc	Deposited	{"time": "2024-05-09T02:42:19.280Z", "amount": 254.11, "sequence": 39, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "depositId": "d97cf011-69cb-5c34-a644-b5539db67336", "processedTime": "2024-05-09T03:32:20.001Z"}	{"schemaVersion": "1", "correlationStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessagePosition": 2, "causationMessageStreamName": "account:command-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessageGlobalPosition": 39}	b4e323e6-792f-5602-a1fb-39f5dcb6314e
41	4	2026-12-01 05:14:31.326248	account:command-86134647-2023-59d1-8e0f-0855327e4e76	Deposit	{"time": "2024-05-09T03:50:20.047Z", "amount": 159.73, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "depositId": "5973e17a-fb3b-523c-9626-913c09d1cc06"}	{"schemaVersion": "1", "replyStreamName": "account-86134647-2023-59d1-8e0f-0855327e4e76", "correlationStreamName": "account-86134647-2023-59d1-8e0f-0855327e4e76"}	79f70fa7-a839-5af3-b5e9-9c6aac898085
42	4	2026-12-01 05:14:31.326712	account-86134647-2023-59d1-8e0f-0855327e4e76	Deposited	{"time": "2024-05-09T03:50:20.047Z", "amount": 159.73, "sequence": 41, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "depositId": "5973e17a-fb3b-523c-9626-913c09d1cc06", "processedTime": "2024-05-09T06:40:20.280Z"}	{"schemaVersion": "1", "correlationStreamName": "account-86134647-2023-59d1-8e0f-0855327e4e76", "causationMessagePosition": 4, "causationMessageStreamName": "account:command-86134647-2023-59d1-8e0f-0855327e4e76", "causationMessageGlobalPosition": 41}	7a815845-3440-5fdb-aa4e-cd1ee944836e
44	4	2026-12-01 05:14:31.327462	account:command-78e0e5d3-3b80-5cf5-9c85-12329930374f	Withdraw	{"time": "2024-05-09T10:19:21.451Z", "amount": 1521.91, "accountId": "78e0e5d3-3b80-5cf5-9c85-12329930374f", "withdrawalId": "8e6e17c6-9de8-5cfc-a2ab-4cb553a13cec"}	{"schemaVersion": "1", "replyStreamName": "withdrawal-8e6e17c6-9de8-5cfc-a2ab-4cb553a13cec", "correlationStreamName": "withdrawal-8e6e17c6-9de8-5cfc-a2ab-4cb553a13cec"}	0dedbfcb-634a-5dab-9554-cc9683cbff7e
45	4	2026-12-01 05:14:31.327942	account-78e0e5d3-3b80-5cf5-9c85-12329930374f	Withdrawn	{"time": "2024-05-09T10:19:21.451Z", "amount": 1521.91, "sequence": 44, "accountId": "78e0e5d3-3b80-5cf5-9c85-12329930374f", "withdrawalId": "8e6e17c6-9de8-5cfc-a2ab-4cb553a13cec", "processedTime": "2024-05-09T11:19:22.338Z"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-8e6e17c6-9de8-5cfc-a2ab-4cb553a13cec", "causationMessagePosition": 4, "causationMessageStreamName": "account:command-78e0e5d3-3b80-5cf5-9c85-12329930374f", "causationMessageGlobalPosition": 44}	efacf75f-6a74-5f56-a2e9-777b14b59478
46	1	2026-12-01 05:14:31.328318	withdrawal-8e6e17c6-9de8-5cfc-a2ab-4cb553a13cec	Completed	{"time": "2024-05-09T11:45:22.727Z", "amount": 1521.91, "accountId": "78e0e5d3-3b80-5cf5-9c85-12329930374f", "withdrawalId": "8e6e17c6-9de8-5cfc-a2ab-4cb553a13cec"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-8e6e17c6-9de8-5cfc-a2ab-4cb553a13cec", "causationMessagePosition": 4, "causationMessageStreamName": "account-78e0e5d3-3b80-5cf5-9c85-12329930374f", "causationMessageGlobalPosition": 45}	f1c0891a-c152-502c-a2fa-8fc5fd1e0240
47	3	2026-12-01 05:14:31.32871	account:command-7899e742-4f32-5f37-96b5-550fd87d42bc	Deposit	{"time": "2024-05-09T12:57:23.191Z", "amount": 283.27, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "depositId": "3ac14996-3e0f-507b-b617-25b2a61719c8"}	{"schemaVersion": "1", "replyStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc", "correlationStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc"}	d16edd5e-1cf6-5bc1-aaee-47dd314a9805
48	3	2026-12-01 05:14:31.329161	account-7899e742-4f32-5f37-96b5-550fd87d42bc	Deposited	{"time": "2024-05-09T12:57:23.191Z", "amount": 283.27, "sequence": 47, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "depositId": "3ac14996-3e0f-507b-b617-25b2a61719c8", "processedTime": "2024-05-09T15:40:24.045Z"}	{"schemaVersion": "1", "correlationStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessagePosition": 3, "causationMessageStreamName": "account:command-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessageGlobalPosition": 47}	67b8de73-7604-577d-a651-cc9fae1cae33
49	2	2026-12-01 05:14:31.32953	account:command-86ab7d14-33af-55df-8264-4833796fa654	Deposit	{"time": "2024-05-09T17:14:24.211Z", "amount": 508.19, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "depositId": "2aa93253-4304-54a5-893e-6d95d5d8c135"}	{"schemaVersion": "1", "replyStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654", "correlationStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654"}	f0fd36e7-361a-5b4a-977e-76b45d13a756
50	2	2026-12-01 05:14:31.329993	account-86ab7d14-33af-55df-8264-4833796fa654	Deposited	{"time": "2024-05-09T17:14:24.211Z", "amount": 508.19, "sequence": 49, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "depositId": "2aa93253-4304-54a5-893e-6d95d5d8c135", "processedTime": "2024-05-09T18:49:24.574Z"}	{"schemaVersion": "1", "correlationStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654", "causationMessagePosition": 2, "causationMessageStreamName": "account:command-86ab7d14-33af-55df-8264-4833796fa654", "causationMessageGlobalPosition": 49}	094d1bd7-ce72-55c2-83d2-90dcbcc8dcd2
51	5	2026-12-01 05:14:31.330368	account:command-78e0e5d3-3b80-5cf5-9c85-12329930374f	Deposit	{"time": "2024-05-09T19:43:25.260Z", "amount": 730.47, "accountId": "78e0e5d3-3b80-5cf5-9c85-12329930374f", "depositId": "7270166e-328d-5b04-8251-6744e6bb611d"}	{"schemaVersion": "1", "replyStreamName": "account-78e0e5d3-3b80-5cf5-9c85-12329930374f", "correlationStreamName": "account-78e0e5d3-3b80-5cf5-9c85-12329930374f"}	fc04e9ec-b00e-5a9a-a616-ef10fdaae725
52	5	2026-12-01 05:14:31.330825	account-78e0e5d3-3b80-5cf5-9c85-12329930374f	Deposited	{"time": "2024-05-09T19:43:25.260Z", "amount": 730.47, "sequence": 51, "accountId": "78e0e5d3-3b80-5cf5-9c85-12329930374f", "depositId": "7270166e-328d-5b04-8251-6744e6bb611d", "processedTime": "2024-05-09T20:52:25.978Z"}	{"schemaVersion": "1", "correlationStreamName": "account-78e0e5d3-3b80-5cf5-9c85-12329930374f", "causationMessagePosition": 5, "causationMessageStreamName": "account:command-78e0e5d3-3b80-5cf5-9c85-12329930374f", "causationMessageGlobalPosition": 51}	70ea4463-0cad-5116-9685-e3cf17ba2d9b
53	4	2026-12-01 05:14:31.331196	account:command-7899e742-4f32-5f37-96b5-550fd87d42bc	Deposit	{"time": "2024-05-10T00:52:26.677Z", "amount": 878.3, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "depositId": "48df1847-dab4-5404-95d9-475402304b17"}	{"schemaVersion": "1", "replyStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc", "correlationStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc"}	de1160e0-4833-5804-bbef-c5a5e9aba2f8
54	4	2026-12-01 05:14:31.331658	account-7899e742-4f32-5f37-96b5-550fd87d42bc	Deposited	{"time": "2024-05-10T00:52:26.677Z", "amount": 878.3, "sequence": 53, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "depositId": "48df1847-dab4-5404-95d9-475402304b17", "processedTime": "2024-05-10T03:38:26.750Z"}	{"schemaVersion": "1", "correlationStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessagePosition": 4, "causationMessageStreamName": "account:command-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessageGlobalPosition": 53}	6fb9ae01-d9c3-54c0-9270-e48bad335785
55	0	2026-12-01 05:14:31.332033	withdrawal-1ea5dcee-d58b-5cdc-bffa-6b2ff41e39a6	Initiated	{"time": "2024-05-10T06:14:27.400Z", "amount": 1206.59, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "withdrawalId": "1ea5dcee-d58b-5cdc-bffa-6b2ff41e39a6"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-1ea5dcee-d58b-5cdc-bffa-6b2ff41e39a6"}	194feda6-9409-506b-b4d0-b3fb948180e6
56	3	2026-12-01 05:14:31.332423	account:command-86ab7d14-33af-55df-8264-4833796fa654	Withdraw	{"time": "2024-05-10T06:58:27.946Z", "amount": 1206.59, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "withdrawalId": "1ea5dcee-d58b-5cdc-bffa-6b2ff41e39a6"}	{"schemaVersion": "1", "replyStreamName": "withdrawal-1ea5dcee-d58b-5cdc-bffa-6b2ff41e39a6", "correlationStreamName": "withdrawal-1ea5dcee-d58b-5cdc-bffa-6b2ff41e39a6"}	cd95a02c-97af-5f0b-8f63-ba378b9157bf
57	3	2026-12-01 05:14:31.33289	account-86ab7d14-33af-55df-8264-4833796fa654	Withdrawn	{"time": "2024-05-10T06:58:27.946Z", "amount": 1206.59, "sequence": 56, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "withdrawalId": "1ea5dcee-d58b-5cdc-bffa-6b2ff41e39a6", "processedTime": "2024-05-10T10:05:28.196Z"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-1ea5dcee-d58b-5cdc-bffa-6b2ff41e39a6", "causationMessagePosition": 3, "causationMessageStreamName": "account:command-86ab7d14-33af-55df-8264-4833796fa654", "causationMessageGlobalPosition": 56}	31e3384b-c406-5f50-a679-d5293301875e
58	1	2026-12-01 05:14:31.333259	withdrawal-1ea5dcee-d58b-5cdc-bffa-6b2ff41e39a6	Completed	{"time": "2024-05-10T10:47:28.669Z", "amount": 1206.59, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "withdrawalId": "1ea5dcee-d58b-5cdc-bffa-6b2ff41e39a6"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-1ea5dcee-d58b-5cdc-bffa-6b2ff41e39a6", "causationMessagePosition": 3, "causationMessageStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654", "causationMessageGlobalPosition": 57}	6fc543be-2467-5f27-a591-1ebe4b3f4819
59	0	2026-12-01 05:14:31.33374	withdrawal-0de93163-edef-551d-9c49-de3e9bc5b2f8	Initiated	{"time": "2024-05-10T12:25:28.945Z", "amount": 1820.99, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "withdrawalId": "0de93163-edef-551d-9c49-de3e9bc5b2f8"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-0de93163-edef-551d-9c49-de3e9bc5b2f8"}	4a218cba-c51c-5d53-8474-aac6557222d9
60	5	2026-12-01 05:14:31.334134	account:command-86134647-2023-59d1-8e0f-0855327e4e76	Withdraw	{"time": "2024-05-10T16:22:29.600Z", "amount": 1820.99, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "withdrawalId": "0de93163-edef-551d-9c49-de3e9bc5b2f8"}	{"schemaVersion": "1", "replyStreamName": "withdrawal-0de93163-edef-551d-9c49-de3e9bc5b2f8", "correlationStreamName": "withdrawal-0de93163-edef-551d-9c49-de3e9bc5b2f8"}	7f74dc18-67e8-584a-afb0-09469d201a16
61	5	2026-12-01 05:14:31.334591	account-86134647-2023-59d1-8e0f-0855327e4e76	Withdrawn	{"time": "2024-05-10T16:22:29.600Z", "amount": 1820.99, "sequence": 60, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "withdrawalId": "0de93163-edef-551d-9c49-de3e9bc5b2f8", "processedTime": "2024-05-10T19:19:30.170Z"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-0de93163-edef-551d-9c49-de3e9bc5b2f8", "causationMessagePosition": 5, "causationMessageStreamName": "account:command-86134647-2023-59d1-8e0f-0855327e4e76", "causationMessageGlobalPosition": 60}	c4dfb2df-dcf6-53e7-b7e2-29dfb1aec396
62	1	2026-12-01 05:14:31.334982	withdrawal-0de93163-edef-551d-9c49-de3e9bc5b2f8	Completed	{"time": "2024-05-10T20:16:30.871Z", "amount": 1820.99, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "withdrawalId": "0de93163-edef-551d-9c49-de3e9bc5b2f8"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-0de93163-edef-551d-9c49-de3e9bc5b2f8", "causationMessagePosition": 5, "causationMessageStreamName": "account-86134647-2023-59d1-8e0f-0855327e4e76", "causationMessageGlobalPosition": 61}	6e3b63b5-c61a-5813-84fe-a40fc4758676
63	0	2026-12-01 05:14:31.335359	withdrawal-c99adde1-a055-5536-b9a4-8d98feac3b7c	Initiated	{"time": "2024-05-10T21:40:31.734Z", "amount": 1171.4, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "withdrawalId": "c99adde1-a055-5536-b9a4-8d98feac3b7c"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-c99adde1-a055-5536-b9a4-8d98feac3b7c"}	4a9d4480-6e4e-5240-b04c-04d174df8761
64	5	2026-12-01 05:14:31.335735	account:command-7899e742-4f32-5f37-96b5-550fd87d42bc	Withdraw	{"time": "2024-05-11T00:57:32.528Z", "amount": 1171.4, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "withdrawalId": "c99adde1-a055-5536-b9a4-8d98feac3b7c"}	{"schemaVersion": "1", "replyStreamName": "withdrawal-c99adde1-a055-5536-b9a4-8d98feac3b7c", "correlationStreamName": "withdrawal-c99adde1-a055-5536-b9a4-8d98feac3b7c"}	6296a468-9131-502d-b9bd-1980f6ee1461
65	5	2026-12-01 05:14:31.336193	account-7899e742-4f32-5f37-96b5-550fd87d42bc	Withdrawn	{"time": "2024-05-11T00:57:32.528Z", "amount": 1171.4, "sequence": 64, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "withdrawalId": "c99adde1-a055-5536-b9a4-8d98feac3b7c", "processedTime": "2024-05-11T01:12:32.762Z"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-c99adde1-a055-5536-b9a4-8d98feac3b7c", "causationMessagePosition": 5, "causationMessageStreamName": "account:command-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessageGlobalPosition": 64}	c4070d84-0560-596d-a226-2462dd09d18e
66	1	2026-12-01 05:14:31.336582	withdrawal-c99adde1-a055-5536-b9a4-8d98feac3b7c	Completed	{"time": "2024-05-11T04:43:32.794Z", "amount": 1171.4, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "withdrawalId": "c99adde1-a055-5536-b9a4-8d98feac3b7c"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-c99adde1-a055-5536-b9a4-8d98feac3b7c", "causationMessagePosition": 5, "causationMessageStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessageGlobalPosition": 65}	5fdf04e5-625b-5490-8202-f5814a36b451
67	4	2026-12-01 05:14:31.336969	account:command-86ab7d14-33af-55df-8264-4833796fa654	Deposit	{"time": "2024-05-11T08:10:33.117Z", "amount": 103.11, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "depositId": "24301249-e8a9-52b2-86c0-e34ddbb2d1a2"}	{"schemaVersion": "1", "replyStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654", "correlationStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654"}	85e9964e-38e2-5f97-bb12-ab64908056e0
68	4	2026-12-01 05:14:31.337424	account-86ab7d14-33af-55df-8264-4833796fa654	Deposited	{"time": "2024-05-11T08:10:33.117Z", "amount": 103.11, "sequence": 67, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "depositId": "24301249-e8a9-52b2-86c0-e34ddbb2d1a2", "processedTime": "2024-05-11T09:53:33.391Z"}	{"schemaVersion": "1", "correlationStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654", "causationMessagePosition": 4, "causationMessageStreamName": "account:command-86ab7d14-33af-55df-8264-4833796fa654", "causationMessageGlobalPosition": 67}	9d91d159-faad-582f-a6ee-7061a71db159
69	6	2026-12-01 05:14:31.337813	account:command-7899e742-4f32-5f37-96b5-550fd87d42bc	Deposit	{"time": "2024-05-11T10:10:33.607Z", "amount": 781.22, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "depositId": "78caa6d5-d30f-504f-b33f-4f0f038c6179"}	{"schemaVersion": "1", "replyStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc", "correlationStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc"}	8a1c7eba-1711-54e5-b46e-40d91a146726
70	6	2026-12-01 05:14:31.338264	account-7899e742-4f32-5f37-96b5-550fd87d42bc	Deposited	{"time": "2024-05-11T10:10:33.607Z", "amount": 781.22, "sequence": 69, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "depositId": "78caa6d5-d30f-504f-b33f-4f0f038c6179", "processedTime": "2024-05-11T14:04:34.572Z"}	{"schemaVersion": "1", "correlationStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessagePosition": 6, "causationMessageStreamName": "account:command-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessageGlobalPosition": 69}	e24176e9-7fb4-5c6e-bc15-1f1bc8feb6da
71	0	2026-12-01 05:14:31.338643	withdrawal-6ac40279-f4ae-5a30-82a9-760ea9c54572	Initiated	{"time": "2024-05-11T16:30:35.469Z", "amount": 918.75, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "withdrawalId": "6ac40279-f4ae-5a30-82a9-760ea9c54572"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-6ac40279-f4ae-5a30-82a9-760ea9c54572"}	90340bd8-7072-5b5c-9569-31676b57db07
72	5	2026-12-01 05:14:31.339001	account:command-86ab7d14-33af-55df-8264-4833796fa654	Withdraw	{"time": "2024-05-11T19:34:35.791Z", "amount": 918.75, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "withdrawalId": "6ac40279-f4ae-5a30-82a9-760ea9c54572"}	{"schemaVersion": "1", "replyStreamName": "withdrawal-6ac40279-f4ae-5a30-82a9-760ea9c54572", "correlationStreamName": "withdrawal-6ac40279-f4ae-5a30-82a9-760ea9c54572"}	fdef7448-4b3a-5636-ab30-72d6247c6659
73	5	2026-12-01 05:14:31.339461	account-86ab7d14-33af-55df-8264-4833796fa654	Withdrawn	{"time": "2024-05-11T19:34:35.791Z", "amount": 918.75, "sequence": 72, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "withdrawalId": "6ac40279-f4ae-5a30-82a9-760ea9c54572", "processedTime": "2024-05-11T20:29:36.462Z"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-6ac40279-f4ae-5a30-82a9-760ea9c54572", "causationMessagePosition": 5, "causationMessageStreamName": "account:command-86ab7d14-33af-55df-8264-4833796fa654", "causationMessageGlobalPosition": 72}	aae09198-53fc-5617-9ff5-af076ea35167
74	1	2026-12-01 05:14:31.339855	withdrawal-6ac40279-f4ae-5a30-82a9-760ea9c54572	Completed	{"time": "2024-05-11T22:37:36.867Z", "amount": 918.75, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "withdrawalId": "6ac40279-f4ae-5a30-82a9-760ea9c54572"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-6ac40279-f4ae-5a30-82a9-760ea9c54572", "causationMessagePosition": 5, "causationMessageStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654", "causationMessageGlobalPosition": 73}	541cdd13-3b5a-5af8-b333-cc9b06515708
75	0	2026-12-01 05:14:31.340228	withdrawal-ac0ba341-a74d-5688-a6c8-b72e0cc21318	Initiated	{"time": "2024-05-12T02:24:37.803Z", "amount": 220.04, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "withdrawalId": "ac0ba341-a74d-5688-a6c8-b72e0cc21318"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-ac0ba341-a74d-5688-a6c8-b72e0cc21318"}	2db37dac-6dc9-5d21-b06c-a469725723e4
76	6	2026-12-01 05:14:31.340606	account:command-86ab7d14-33af-55df-8264-4833796fa654	Withdraw	{"time": "2024-05-12T05:09:38.272Z", "amount": 220.04, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "withdrawalId": "ac0ba341-a74d-5688-a6c8-b72e0cc21318"}	{"schemaVersion": "1", "replyStreamName": "withdrawal-ac0ba341-a74d-5688-a6c8-b72e0cc21318", "correlationStreamName": "withdrawal-ac0ba341-a74d-5688-a6c8-b72e0cc21318"}	a77060c1-93cf-5605-9145-7c23b67162cf
77	6	2026-12-01 05:14:31.341068	account-86ab7d14-33af-55df-8264-4833796fa654	WithdrawalRejected	{"time": "2024-05-12T05:09:38.272Z", "amount": 220.04, "balance": 64.96, "sequence": 76, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "withdrawalId": "ac0ba341-a74d-5688-a6c8-b72e0cc21318", "processedTime": "2024-05-12T05:46:38.543Z"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-ac0ba341-a74d-5688-a6c8-b72e0cc21318", "causationMessagePosition": 6, "causationMessageStreamName": "account:command-86ab7d14-33af-55df-8264-4833796fa654", "causationMessageGlobalPosition": 76}	f35f5573-ea50-5f14-9ba7-223be003f763
78	1	2026-12-01 05:14:31.341425	withdrawal-ac0ba341-a74d-5688-a6c8-b72e0cc21318	Rejected	{"time": "2024-05-12T06:22:38.795Z", "amount": 220.04, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "withdrawalId": "ac0ba341-a74d-5688-a6c8-b72e0cc21318"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-ac0ba341-a74d-5688-a6c8-b72e0cc21318", "causationMessagePosition": 6, "causationMessageStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654", "causationMessageGlobalPosition": 77}	9ccb6c40-c728-57ab-9af8-30cb1e8657c2
79	0	2026-12-01 05:14:31.341797	withdrawal-54c19311-8027-525e-97ff-66ce370d1142	Initiated	{"time": "2024-05-12T09:33:39.369Z", "amount": 160.53, "accountId": "78e0e5d3-3b80-5cf5-9c85-12329930374f", "withdrawalId": "54c19311-8027-525e-97ff-66ce370d1142"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-54c19311-8027-525e-97ff-66ce370d1142"}	b4d949dc-daee-5f4c-ab4b-08f780b12091
80	6	2026-12-01 05:14:31.342149	account:command-78e0e5d3-3b80-5cf5-9c85-12329930374f	Withdraw	{"time": "2024-05-12T11:51:39.638Z", "amount": 160.53, "accountId": "78e0e5d3-3b80-5cf5-9c85-12329930374f", "withdrawalId": "54c19311-8027-525e-97ff-66ce370d1142"}	{"schemaVersion": "1", "replyStreamName": "withdrawal-54c19311-8027-525e-97ff-66ce370d1142", "correlationStreamName": "withdrawal-54c19311-8027-525e-97ff-66ce370d1142"}	97d5e885-1ad6-53a8-9637-9e660ed84ac2
81	6	2026-12-01 05:14:31.342602	account-78e0e5d3-3b80-5cf5-9c85-12329930374f	Withdrawn	{"time": "2024-05-12T11:51:39.638Z", "amount": 160.53, "sequence": 80, "accountId": "78e0e5d3-3b80-5cf5-9c85-12329930374f", "withdrawalId": "54c19311-8027-525e-97ff-66ce370d1142", "processedTime": "2024-05-12T15:03:40.236Z"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-54c19311-8027-525e-97ff-66ce370d1142", "causationMessagePosition": 6, "causationMessageStreamName": "account:command-78e0e5d3-3b80-5cf5-9c85-12329930374f", "causationMessageGlobalPosition": 80}	4f10e113-072b-54b0-b660-c3e33fb2139d
82	1	2026-12-01 05:14:31.342975	withdrawal-54c19311-8027-525e-97ff-66ce370d1142	Completed	{"time": "2024-05-12T16:53:41.155Z", "amount": 160.53, "accountId": "78e0e5d3-3b80-5cf5-9c85-12329930374f", "withdrawalId": "54c19311-8027-525e-97ff-66ce370d1142"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-54c19311-8027-525e-97ff-66ce370d1142", "causationMessagePosition": 6, "causationMessageStreamName": "account-78e0e5d3-3b80-5cf5-9c85-12329930374f", "causationMessageGlobalPosition": 81}	3ccc14a1-ec1a-5003-a320-37fdb2210b71
83	7	2026-12-01 05:14:31.34334	account:command-86ab7d14-33af-55df-8264-4833796fa654	Deposit	{"time": "2024-05-12T19:23:41.563Z", "amount": 17.67, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "depositId": "1acd5383-2699-52c2-98e3-13f39fabf9b0"}	{"schemaVersion": "1", "replyStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654", "correlationStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654"}	3e3858a8-fe5b-5e55-b36a-558ab1ae5e85
84	7	2026-12-01 05:14:31.343796	account-86ab7d14-33af-55df-8264-4833796fa654	Deposited	{"time": "2024-05-12T19:23:41.563Z", "amount": 17.67, "sequence": 83, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "depositId": "1acd5383-2699-52c2-98e3-13f39fabf9b0", "processedTime": "2024-05-12T20:56:41.787Z"}	{"schemaVersion": "1", "correlationStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654", "causationMessagePosition": 7, "causationMessageStreamName": "account:command-86ab7d14-33af-55df-8264-4833796fa654", "causationMessageGlobalPosition": 83}	25e41742-ba6c-5037-b298-83eea2709ed9
85	0	2026-12-01 05:14:31.344175	withdrawal-1dc0d4c7-23d1-5e67-9389-a0487731b375	Initiated	{"time": "2024-05-12T21:32:42.308Z", "amount": 1078.47, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "withdrawalId": "1dc0d4c7-23d1-5e67-9389-a0487731b375"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-1dc0d4c7-23d1-5e67-9389-a0487731b375"}	41f33b43-9e97-53a8-974d-cbf1495dc492
86	6	2026-12-01 05:14:31.344554	account:command-86134647-2023-59d1-8e0f-0855327e4e76	Withdraw	{"time": "2024-05-12T23:39:42.401Z", "amount": 1078.47, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "withdrawalId": "1dc0d4c7-23d1-5e67-9389-a0487731b375"}	{"schemaVersion": "1", "replyStreamName": "withdrawal-1dc0d4c7-23d1-5e67-9389-a0487731b375", "correlationStreamName": "withdrawal-1dc0d4c7-23d1-5e67-9389-a0487731b375"}	151caad5-0948-5865-9405-d855d83db142
116	8	2026-12-01 05:14:31.356942	account-0d67c180-f049-504e-9e19-740ae6a34c17	Closed	{"time": "2024-05-15T14:45:55.781Z", "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "processedTime": "2024-05-15T18:01:55.946Z"}	{"schemaVersion": "1", "correlationStreamName": "account-0d67c180-f049-504e-9e19-740ae6a34c17", "causationMessagePosition": 8, "causationMessageStreamName": "account:command-0d67c180-f049-504e-9e19-740ae6a34c17", "causationMessageGlobalPosition": 115}	a1c52de5-9cea-5709-af96-5b9b93c69d9c
87	6	2026-12-01 05:14:31.345012	account-86134647-2023-59d1-8e0f-0855327e4e76	Withdrawn	{"time": "2024-05-12T23:39:42.401Z", "amount": 1078.47, "sequence": 86, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "withdrawalId": "1dc0d4c7-23d1-5e67-9389-a0487731b375", "processedTime": "2024-05-13T02:53:42.449Z"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-1dc0d4c7-23d1-5e67-9389-a0487731b375", "causationMessagePosition": 6, "causationMessageStreamName": "account:command-86134647-2023-59d1-8e0f-0855327e4e76", "causationMessageGlobalPosition": 86}	d509bae9-18e8-540a-8e81-a60f147f96d1
88	1	2026-12-01 05:14:31.345392	withdrawal-1dc0d4c7-23d1-5e67-9389-a0487731b375	Completed	{"time": "2024-05-13T06:34:42.561Z", "amount": 1078.47, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "withdrawalId": "1dc0d4c7-23d1-5e67-9389-a0487731b375"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-1dc0d4c7-23d1-5e67-9389-a0487731b375", "causationMessagePosition": 6, "causationMessageStreamName": "account-86134647-2023-59d1-8e0f-0855327e4e76", "causationMessageGlobalPosition": 87}	124c1cbf-698d-5f8e-8024-52aae57c8250
89	4	2026-12-01 05:14:31.345771	account:command-0d67c180-f049-504e-9e19-740ae6a34c17	Deposit	{"time": "2024-05-13T07:14:43.203Z", "amount": 854.54, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "depositId": "0663be01-e1d5-5498-8e0d-6ac3f8a01364"}	{"schemaVersion": "1", "replyStreamName": "account-0d67c180-f049-504e-9e19-740ae6a34c17", "correlationStreamName": "account-0d67c180-f049-504e-9e19-740ae6a34c17"}	49efebc8-b95d-52df-a3f7-c91f10c84197
90	4	2026-12-01 05:14:31.34623	account-0d67c180-f049-504e-9e19-740ae6a34c17	Deposited	{"time": "2024-05-13T07:14:43.203Z", "amount": 854.54, "sequence": 89, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "depositId": "0663be01-e1d5-5498-8e0d-6ac3f8a01364", "processedTime": "2024-05-13T07:55:44.014Z"}	{"schemaVersion": "1", "correlationStreamName": "account-0d67c180-f049-504e-9e19-740ae6a34c17", "causationMessagePosition": 4, "causationMessageStreamName": "account:command-0d67c180-f049-504e-9e19-740ae6a34c17", "causationMessageGlobalPosition": 89}	b62cfb57-c71e-599d-86f9-2ce243883fcf
91	7	2026-12-01 05:14:31.346597	account:command-7899e742-4f32-5f37-96b5-550fd87d42bc	Deposit	{"time": "2024-05-13T10:50:44.446Z", "amount": 203.34, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "depositId": "2697141f-5163-55b5-9c26-15fcdcf9c585"}	{"schemaVersion": "1", "replyStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc", "correlationStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc"}	e9c6d274-ea08-579d-8654-e3f1e2beb276
92	7	2026-12-01 05:14:31.347066	account-7899e742-4f32-5f37-96b5-550fd87d42bc	Deposited	{"time": "2024-05-13T10:50:44.446Z", "amount": 203.34, "sequence": 91, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "depositId": "2697141f-5163-55b5-9c26-15fcdcf9c585", "processedTime": "2024-05-13T13:23:44.511Z"}	{"schemaVersion": "1", "correlationStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessagePosition": 7, "causationMessageStreamName": "account:command-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessageGlobalPosition": 91}	e96052ae-bc46-56c8-b914-d90caf549088
93	8	2026-12-01 05:14:31.347429	account:command-7899e742-4f32-5f37-96b5-550fd87d42bc	Deposit	{"time": "2024-05-13T15:02:44.901Z", "amount": 154.54, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "depositId": "7ec25449-e410-54a0-838a-1d3d99fb557b"}	{"schemaVersion": "1", "replyStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc", "correlationStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc"}	328d8e7f-68cd-5ec7-ace7-54b96dad9bc7
94	8	2026-12-01 05:14:31.34789	account-7899e742-4f32-5f37-96b5-550fd87d42bc	Deposited	{"time": "2024-05-13T15:02:44.901Z", "amount": 154.54, "sequence": 93, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "depositId": "7ec25449-e410-54a0-838a-1d3d99fb557b", "processedTime": "2024-05-13T17:35:45.380Z"}	{"schemaVersion": "1", "correlationStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessagePosition": 8, "causationMessageStreamName": "account:command-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessageGlobalPosition": 93}	ff43021a-b72e-58fb-883a-a7ba72d9e9cf
95	0	2026-12-01 05:14:31.348258	withdrawal-dc47f3f2-c368-5e19-ad7e-b17d933d8a61	Initiated	{"time": "2024-05-13T19:51:45.637Z", "amount": 2463.48, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "withdrawalId": "dc47f3f2-c368-5e19-ad7e-b17d933d8a61"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-dc47f3f2-c368-5e19-ad7e-b17d933d8a61"}	4ec1335c-e64c-5233-9239-2ea9c31262cd
96	9	2026-12-01 05:14:31.348626	account:command-7899e742-4f32-5f37-96b5-550fd87d42bc	Withdraw	{"time": "2024-05-13T22:13:46.518Z", "amount": 2463.48, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "withdrawalId": "dc47f3f2-c368-5e19-ad7e-b17d933d8a61"}	{"schemaVersion": "1", "replyStreamName": "withdrawal-dc47f3f2-c368-5e19-ad7e-b17d933d8a61", "correlationStreamName": "withdrawal-dc47f3f2-c368-5e19-ad7e-b17d933d8a61"}	b0c33581-da02-5dc3-9d02-341cb0c67e19
97	9	2026-12-01 05:14:31.349212	account-7899e742-4f32-5f37-96b5-550fd87d42bc	Withdrawn	{"time": "2024-05-13T22:13:46.518Z", "amount": 2463.48, "sequence": 96, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "withdrawalId": "dc47f3f2-c368-5e19-ad7e-b17d933d8a61", "processedTime": "2024-05-13T22:16:47.214Z"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-dc47f3f2-c368-5e19-ad7e-b17d933d8a61", "causationMessagePosition": 9, "causationMessageStreamName": "account:command-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessageGlobalPosition": 96}	2db37ade-63cf-59ea-98ab-7a706fc20e36
98	1	2026-12-01 05:14:31.349645	withdrawal-dc47f3f2-c368-5e19-ad7e-b17d933d8a61	Completed	{"time": "2024-05-14T01:21:47.331Z", "amount": 2463.48, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "withdrawalId": "dc47f3f2-c368-5e19-ad7e-b17d933d8a61"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-dc47f3f2-c368-5e19-ad7e-b17d933d8a61", "causationMessagePosition": 9, "causationMessageStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessageGlobalPosition": 97}	f6bdd444-a7ae-55e8-aa2a-0debc771178f
99	0	2026-12-01 05:14:31.350019	withdrawal-d0558d08-41ed-5322-8100-7366e3ab4b7f	Initiated	{"time": "2024-05-14T04:16:48.237Z", "amount": 1597.71, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "withdrawalId": "d0558d08-41ed-5322-8100-7366e3ab4b7f"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-d0558d08-41ed-5322-8100-7366e3ab4b7f"}	bc06fb97-5aed-5dba-8c6f-4b2bb177acf8
100	5	2026-12-01 05:14:31.350375	account:command-0d67c180-f049-504e-9e19-740ae6a34c17	Withdraw	{"time": "2024-05-14T06:34:49.005Z", "amount": 1597.71, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "withdrawalId": "d0558d08-41ed-5322-8100-7366e3ab4b7f"}	{"schemaVersion": "1", "replyStreamName": "withdrawal-d0558d08-41ed-5322-8100-7366e3ab4b7f", "correlationStreamName": "withdrawal-d0558d08-41ed-5322-8100-7366e3ab4b7f"}	5458b480-a0da-54ed-85ab-694e8f1b49ff
117	7	2026-12-01 05:14:31.357317	account:command-86134647-2023-59d1-8e0f-0855327e4e76	Deposit	{"time": "2024-05-15T20:20:56.922Z", "amount": 820.76, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "depositId": "97133724-860e-5471-b7f1-73057e237984"}	{"schemaVersion": "1", "replyStreamName": "account-86134647-2023-59d1-8e0f-0855327e4e76", "correlationStreamName": "account-86134647-2023-59d1-8e0f-0855327e4e76"}	0fa01bd0-4cfa-5fd8-ad7f-d9f7cf01bfb0
101	5	2026-12-01 05:14:31.350837	account-0d67c180-f049-504e-9e19-740ae6a34c17	Withdrawn	{"time": "2024-05-14T06:34:49.005Z", "amount": 1597.71, "sequence": 100, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "withdrawalId": "d0558d08-41ed-5322-8100-7366e3ab4b7f", "processedTime": "2024-05-14T07:43:49.792Z"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-d0558d08-41ed-5322-8100-7366e3ab4b7f", "causationMessagePosition": 5, "causationMessageStreamName": "account:command-0d67c180-f049-504e-9e19-740ae6a34c17", "causationMessageGlobalPosition": 100}	10e721c4-0252-5bf6-8608-2025552831e2
102	1	2026-12-01 05:14:31.35122	withdrawal-d0558d08-41ed-5322-8100-7366e3ab4b7f	Completed	{"time": "2024-05-14T10:28:50.140Z", "amount": 1597.71, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "withdrawalId": "d0558d08-41ed-5322-8100-7366e3ab4b7f"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-d0558d08-41ed-5322-8100-7366e3ab4b7f", "causationMessagePosition": 5, "causationMessageStreamName": "account-0d67c180-f049-504e-9e19-740ae6a34c17", "causationMessageGlobalPosition": 101}	1cb15714-d8d5-503f-b218-c155a2dabaf4
103	0	2026-12-01 05:14:31.351591	withdrawal-38215d67-ffac-5024-b02e-52732e1c4cd4	Initiated	{"time": "2024-05-14T10:57:50.440Z", "amount": 1534.2, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "withdrawalId": "38215d67-ffac-5024-b02e-52732e1c4cd4"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-38215d67-ffac-5024-b02e-52732e1c4cd4"}	4927efe1-56e4-55d4-a65c-0644e8bb82c0
104	10	2026-12-01 05:14:31.351953	account:command-7899e742-4f32-5f37-96b5-550fd87d42bc	Withdraw	{"time": "2024-05-14T12:49:50.601Z", "amount": 1534.2, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "withdrawalId": "38215d67-ffac-5024-b02e-52732e1c4cd4"}	{"schemaVersion": "1", "replyStreamName": "withdrawal-38215d67-ffac-5024-b02e-52732e1c4cd4", "correlationStreamName": "withdrawal-38215d67-ffac-5024-b02e-52732e1c4cd4"}	e46fa066-484f-5f10-a6af-825071b343d0
105	10	2026-12-01 05:14:31.352428	account-7899e742-4f32-5f37-96b5-550fd87d42bc	Withdrawn	{"time": "2024-05-14T12:49:50.601Z", "amount": 1534.2, "sequence": 104, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "withdrawalId": "38215d67-ffac-5024-b02e-52732e1c4cd4", "processedTime": "2024-05-14T14:46:50.604Z"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-38215d67-ffac-5024-b02e-52732e1c4cd4", "causationMessagePosition": 10, "causationMessageStreamName": "account:command-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessageGlobalPosition": 104}	9c2b94ec-c6e9-5609-96f1-3f9a684b1cd4
106	1	2026-12-01 05:14:31.352796	withdrawal-38215d67-ffac-5024-b02e-52732e1c4cd4	Completed	{"time": "2024-05-14T17:51:51.500Z", "amount": 1534.2, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "withdrawalId": "38215d67-ffac-5024-b02e-52732e1c4cd4"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-38215d67-ffac-5024-b02e-52732e1c4cd4", "causationMessagePosition": 10, "causationMessageStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessageGlobalPosition": 105}	f039c975-ba42-5715-9f54-313236ed3d96
107	11	2026-12-01 05:14:31.353181	account:command-7899e742-4f32-5f37-96b5-550fd87d42bc	Deposit	{"time": "2024-05-14T20:56:51.769Z", "amount": 274.0, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "depositId": "3a278df6-139f-511e-90dc-6734dbfd052d"}	{"schemaVersion": "1", "replyStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc", "correlationStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc"}	9c7b2d34-2fc4-550f-bbb2-e0ecefd62e80
108	11	2026-12-01 05:14:31.353634	account-7899e742-4f32-5f37-96b5-550fd87d42bc	Deposited	{"time": "2024-05-14T20:56:51.769Z", "amount": 274.0, "sequence": 107, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "depositId": "3a278df6-139f-511e-90dc-6734dbfd052d", "processedTime": "2024-05-14T23:05:52.549Z"}	{"schemaVersion": "1", "correlationStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessagePosition": 11, "causationMessageStreamName": "account:command-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessageGlobalPosition": 107}	05a1145c-8af1-50c3-8f52-7dfda2bbb500
109	0	2026-12-01 05:14:31.354019	withdrawal-ed03c706-6c98-5215-99c5-582297ab8d95	Initiated	{"time": "2024-05-14T23:51:53.068Z", "amount": 387.82, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "withdrawalId": "ed03c706-6c98-5215-99c5-582297ab8d95"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-ed03c706-6c98-5215-99c5-582297ab8d95"}	d3dc0524-3636-5ae3-998f-766a1670aa0e
110	6	2026-12-01 05:14:31.354373	account:command-0d67c180-f049-504e-9e19-740ae6a34c17	Withdraw	{"time": "2024-05-15T03:45:53.176Z", "amount": 387.82, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "withdrawalId": "ed03c706-6c98-5215-99c5-582297ab8d95"}	{"schemaVersion": "1", "replyStreamName": "withdrawal-ed03c706-6c98-5215-99c5-582297ab8d95", "correlationStreamName": "withdrawal-ed03c706-6c98-5215-99c5-582297ab8d95"}	817c6292-ebc8-5310-83fb-8bb9eda81a14
111	6	2026-12-01 05:14:31.354842	account-0d67c180-f049-504e-9e19-740ae6a34c17	Withdrawn	{"time": "2024-05-15T03:45:53.176Z", "amount": 387.82, "sequence": 110, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "withdrawalId": "ed03c706-6c98-5215-99c5-582297ab8d95", "processedTime": "2024-05-15T07:28:53.816Z"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-ed03c706-6c98-5215-99c5-582297ab8d95", "causationMessagePosition": 6, "causationMessageStreamName": "account:command-0d67c180-f049-504e-9e19-740ae6a34c17", "causationMessageGlobalPosition": 110}	91b723a1-0179-595f-a18e-cee5366f7054
112	1	2026-12-01 05:14:31.355201	withdrawal-ed03c706-6c98-5215-99c5-582297ab8d95	Completed	{"time": "2024-05-15T08:45:54.677Z", "amount": 387.82, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "withdrawalId": "ed03c706-6c98-5215-99c5-582297ab8d95"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-ed03c706-6c98-5215-99c5-582297ab8d95", "causationMessagePosition": 6, "causationMessageStreamName": "account-0d67c180-f049-504e-9e19-740ae6a34c17", "causationMessageGlobalPosition": 111}	006a0b31-7db0-50f1-af48-2dbe62cf4bff
113	7	2026-12-01 05:14:31.355564	account:command-0d67c180-f049-504e-9e19-740ae6a34c17	Withdraw	{"time": "2024-05-15T11:29:55.196Z", "amount": 684.77, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "withdrawalId": "52ef75b9-3de0-5ba6-a1c5-73f99c1010af"}	{"schemaVersion": "1", "replyStreamName": "account-0d67c180-f049-504e-9e19-740ae6a34c17", "correlationStreamName": "account-0d67c180-f049-504e-9e19-740ae6a34c17"}	a8426d08-9b4d-52da-acfc-d32fb77dee6c
114	7	2026-12-01 05:14:31.356019	account-0d67c180-f049-504e-9e19-740ae6a34c17	Withdrawn	{"time": "2024-05-15T11:29:55.196Z", "amount": 684.77, "sequence": 113, "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17", "withdrawalId": "52ef75b9-3de0-5ba6-a1c5-73f99c1010af", "processedTime": "2024-05-15T14:05:55.399Z"}	{"schemaVersion": "1", "correlationStreamName": "account-0d67c180-f049-504e-9e19-740ae6a34c17", "causationMessagePosition": 7, "causationMessageStreamName": "account:command-0d67c180-f049-504e-9e19-740ae6a34c17", "causationMessageGlobalPosition": 113}	bd068c1b-8798-5bc5-a36a-e8057d885c0b
115	8	2026-12-01 05:14:31.356401	account:command-0d67c180-f049-504e-9e19-740ae6a34c17	Close	{"time": "2024-05-15T14:45:55.781Z", "accountId": "0d67c180-f049-504e-9e19-740ae6a34c17"}	{"schemaVersion": "1", "replyStreamName": "account-0d67c180-f049-504e-9e19-740ae6a34c17", "correlationStreamName": "account-0d67c180-f049-504e-9e19-740ae6a34c17"}	bbbf4729-f6a9-565f-9c75-dad16ab35be0
118	7	2026-12-01 05:14:31.357774	account-86134647-2023-59d1-8e0f-0855327e4e76	Deposited	{"time": "2024-05-15T20:20:56.922Z", "amount": 820.76, "sequence": 117, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "depositId": "97133724-860e-5471-b7f1-73057e237984", "processedTime": "2024-05-15T23:40:57.866Z"}	{"schemaVersion": "1", "correlationStreamName": "account-86134647-2023-59d1-8e0f-0855327e4e76", "causationMessagePosition": 7, "causationMessageStreamName": "account:command-86134647-2023-59d1-8e0f-0855327e4e76", "causationMessageGlobalPosition": 117}	245e7aa5-6cac-596c-8a7f-8c9a58b31399
119	8	2026-12-01 05:14:31.358165	account:command-86ab7d14-33af-55df-8264-4833796fa654	Deposit	{"time": "2024-05-16T01:56:58.806Z", "amount": 424.0, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "depositId": "6f667842-e3fe-51bb-9333-5feba86dc3f3"}	{"schemaVersion": "1", "replyStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654", "correlationStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654"}	dc6d7896-3127-502a-9190-c6bda89e7da8
120	8	2026-12-01 05:14:31.358615	account-86ab7d14-33af-55df-8264-4833796fa654	Deposited	{"time": "2024-05-16T01:56:58.806Z", "amount": 424.0, "sequence": 119, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "depositId": "6f667842-e3fe-51bb-9333-5feba86dc3f3", "processedTime": "2024-05-16T01:57:59.419Z"}	{"schemaVersion": "1", "correlationStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654", "causationMessagePosition": 8, "causationMessageStreamName": "account:command-86ab7d14-33af-55df-8264-4833796fa654", "causationMessageGlobalPosition": 119}	1e0d9514-34bd-5188-b0c2-da1e89fde360
121	9	2026-12-01 05:14:31.358994	account:command-86ab7d14-33af-55df-8264-4833796fa654	Deposit	{"time": "2024-05-16T03:20:59.919Z", "amount": 339.13, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "depositId": "7677de0e-4383-5ccc-9cdd-d65cc4e589f7"}	{"schemaVersion": "1", "replyStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654", "correlationStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654"}	b2df3d8d-38d1-5111-a4f9-618e8d0280bb
122	9	2026-12-01 05:14:31.35944	account-86ab7d14-33af-55df-8264-4833796fa654	Deposited	{"time": "2024-05-16T03:20:59.919Z", "amount": 339.13, "sequence": 121, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "depositId": "7677de0e-4383-5ccc-9cdd-d65cc4e589f7", "processedTime": "2024-05-16T03:26:00.033Z"}	{"schemaVersion": "1", "correlationStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654", "causationMessagePosition": 9, "causationMessageStreamName": "account:command-86ab7d14-33af-55df-8264-4833796fa654", "causationMessageGlobalPosition": 121}	f6c0c40c-a69c-55f6-910e-1f5bf884f97b
123	10	2026-12-01 05:14:31.359841	account:command-86ab7d14-33af-55df-8264-4833796fa654	Deposit	{"time": "2024-05-16T07:24:00.404Z", "amount": 191.44, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "depositId": "f939220e-0199-5b45-9f6a-03c91acc4a22"}	{"schemaVersion": "1", "replyStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654", "correlationStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654"}	f6c96169-cca2-5813-a7b4-ce65191c241a
124	10	2026-12-01 05:14:31.360302	account-86ab7d14-33af-55df-8264-4833796fa654	Deposited	{"time": "2024-05-16T07:24:00.404Z", "amount": 191.44, "sequence": 123, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "depositId": "f939220e-0199-5b45-9f6a-03c91acc4a22", "processedTime": "2024-05-16T11:09:01.255Z"}	{"schemaVersion": "1", "correlationStreamName": "account-86ab7d14-33af-55df-8264-4833796fa654", "causationMessagePosition": 10, "causationMessageStreamName": "account:command-86ab7d14-33af-55df-8264-4833796fa654", "causationMessageGlobalPosition": 123}	358e0d18-d21d-5e22-b733-453d63ff3b5e
125	0	2026-12-01 05:14:31.360681	withdrawal-2a2bcf99-016c-536f-8fb2-7052158b68df	Initiated	{"time": "2024-05-16T14:36:01.569Z", "amount": 2311.47, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "withdrawalId": "2a2bcf99-016c-536f-8fb2-7052158b68df"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-2a2bcf99-016c-536f-8fb2-7052158b68df"}	0bca3646-3842-5656-8057-6893af8d3396
126	12	2026-12-01 05:14:31.361036	account:command-7899e742-4f32-5f37-96b5-550fd87d42bc	Withdraw	{"time": "2024-05-16T15:38:01.628Z", "amount": 2311.47, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "withdrawalId": "2a2bcf99-016c-536f-8fb2-7052158b68df"}	{"schemaVersion": "1", "replyStreamName": "withdrawal-2a2bcf99-016c-536f-8fb2-7052158b68df", "correlationStreamName": "withdrawal-2a2bcf99-016c-536f-8fb2-7052158b68df"}	aaef4c20-2ce1-529b-aca8-4269279988c2
127	12	2026-12-01 05:14:31.361488	account-7899e742-4f32-5f37-96b5-550fd87d42bc	WithdrawalRejected	{"time": "2024-05-16T15:38:01.628Z", "amount": 2311.47, "balance": 1356.7, "sequence": 126, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "withdrawalId": "2a2bcf99-016c-536f-8fb2-7052158b68df", "processedTime": "2024-05-16T16:40:02.527Z"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-2a2bcf99-016c-536f-8fb2-7052158b68df", "causationMessagePosition": 12, "causationMessageStreamName": "account:command-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessageGlobalPosition": 126}	15b96de1-af7b-5ee5-9510-7617ec06a4ea
128	1	2026-12-01 05:14:31.361861	withdrawal-2a2bcf99-016c-536f-8fb2-7052158b68df	Rejected	{"time": "2024-05-16T19:06:03.496Z", "amount": 2311.47, "accountId": "7899e742-4f32-5f37-96b5-550fd87d42bc", "withdrawalId": "2a2bcf99-016c-536f-8fb2-7052158b68df"}	{"schemaVersion": "1", "correlationStreamName": "withdrawal-2a2bcf99-016c-536f-8fb2-7052158b68df", "causationMessagePosition": 12, "causationMessageStreamName": "account-7899e742-4f32-5f37-96b5-550fd87d42bc", "causationMessageGlobalPosition": 127}	da12c81c-b394-5e7a-b2ad-952c7ebddfa8
129	0	2026-12-01 05:14:31.362338	transfer-011ad7e5-52b7-5ff8-96dc-8a7e3fbbf860	TransferInitiated	{"time": "2024-05-16T19:27:03.583Z", "amount": 430.15, "transferId": "011ad7e5-52b7-5ff8-96dc-8a7e3fbbf860", "toAccountId": "86ab7d14-33af-55df-8264-4833796fa654", "fromAccountId": "86134647-2023-59d1-8e0f-0855327e4e76"}	{"schemaVersion": "1", "correlationStreamName": "transfer-011ad7e5-52b7-5ff8-96dc-8a7e3fbbf860"}	868c4559-9335-5aac-90a2-b35c9780cbaa
130	8	2026-12-01 05:14:31.36272	account:command-86134647-2023-59d1-8e0f-0855327e4e76	Withdraw	{"time": "2024-05-16T22:35:04.080Z", "amount": 430.15, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "withdrawalId": "011ad7e5-52b7-5ff8-96dc-8a7e3fbbf860"}	{"schemaVersion": "1", "replyStreamName": "transfer-011ad7e5-52b7-5ff8-96dc-8a7e3fbbf860", "correlationStreamName": "transfer-011ad7e5-52b7-5ff8-96dc-8a7e3fbbf860"}	321e4d73-4a22-51d6-89b6-2b1b3af11cb1
131	8	2026-12-01 05:14:31.363177	account-86134647-2023-59d1-8e0f-0855327e4e76	Withdrawn	{"time": "2024-05-16T22:35:04.080Z", "amount": 430.15, "sequence": 130, "accountId": "86134647-2023-59d1-8e0f-0855327e4e76", "withdrawalId": "011ad7e5-52b7-5ff8-96dc-8a7e3fbbf860", "processedTime": "2024-05-17T02:04:04.150Z"}	{"schemaVersion": "1", "correlationStreamName": "transfer-011ad7e5-52b7-5ff8-96dc-8a7e3fbbf860", "causationMessagePosition": 8, "causationMessageStreamName": "account:command-86134647-2023-59d1-8e0f-0855327e4e76", "causationMessageGlobalPosition": 130}	cfaef72a-888f-5abe-8ecd-60753f083ba1
132	11	2026-12-01 05:14:31.363535	account:command-86ab7d14-33af-55df-8264-4833796fa654	Deposit	{"time": "2024-05-17T05:19:04.695Z", "amount": 430.15, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "depositId": "011ad7e5-52b7-5ff8-96dc-8a7e3fbbf860"}	{"schemaVersion": "1", "replyStreamName": "transfer-011ad7e5-52b7-5ff8-96dc-8a7e3fbbf860", "correlationStreamName": "transfer-011ad7e5-52b7-5ff8-96dc-8a7e3fbbf860"}	677cf5cf-48fe-5886-82c6-9770e089acac
133	11	2026-12-01 05:14:31.364016	account-86ab7d14-33af-55df-8264-4833796fa654	Deposited	{"time": "2024-05-17T05:19:04.695Z", "amount": 430.15, "sequence": 132, "accountId": "86ab7d14-33af-55df-8264-4833796fa654", "depositId": "011ad7e5-52b7-5ff8-96dc-8a7e3fbbf860", "processedTime": "2024-05-17T08:36:04.823Z"}	{"schemaVersion": "1", "correlationStreamName": "transfer-011ad7e5-52b7-5ff8-96dc-8a7e3fbbf860", "causationMessagePosition": 11, "causationMessageStreamName": "account:command-86ab7d14-33af-55df-8264-4833796fa654", "causationMessageGlobalPosition": 132}	335d5f10-6013-51b4-a155-7fab78c6fd6f
134	1	2026-12-01 05:14:31.364393	transfer-011ad7e5-52b7-5ff8-96dc-8a7e3fbbf860	TransferCompleted	{"time": "2024-05-17T09:09:05.498Z", "transferId": "011ad7e5-52b7-5ff8-96dc-8a7e3fbbf860"}	{"schemaVersion": "1", "correlationStreamName": "transfer-011ad7e5-52b7-5ff8-96dc-8a7e3fbbf860", "causationMessagePosition": 0, "causationMessageStreamName": "transfer-011ad7e5-52b7-5ff8-96dc-8a7e3fbbf860", "causationMessageGlobalPosition": 129}	472845bc-45bf-51cb-ac2a-c916d69b761e
\.


--
-- Name: messages_global_position_seq; Type: SEQUENCE SET; Schema: message_store; Owner: -
--

SELECT pg_catalog.setval('message_store.messages_global_position_seq', 134, true);


--
-- Name: messages messages_pkey; Type: CONSTRAINT; Schema: message_store; Owner: -
--

ALTER TABLE ONLY message_store.messages
    ADD CONSTRAINT messages_pkey PRIMARY KEY (global_position);


--
-- Name: messages_category; Type: INDEX; Schema: message_store; Owner: -
--

CREATE INDEX messages_category ON message_store.messages USING btree (message_store.category((stream_name)::character varying), global_position, message_store.category(((metadata ->> 'correlationStreamName'::text))::character varying));


--
-- Name: messages_id; Type: INDEX; Schema: message_store; Owner: -
--

CREATE UNIQUE INDEX messages_id ON message_store.messages USING btree (id);


--
-- Name: messages_stream; Type: INDEX; Schema: message_store; Owner: -
--

CREATE UNIQUE INDEX messages_stream ON message_store.messages USING btree (stream_name, "position");


--
-- PostgreSQL database dump complete
--

\unrestrict eventscope

