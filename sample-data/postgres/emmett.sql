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
-- Name: emt_activate_projection(bigint, text, text, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.emt_activate_projection(p_lock_key bigint, p_name text, p_partition text, p_version integer) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_result BOOLEAN;
BEGIN
    WITH lock_check AS (
        SELECT pg_try_advisory_xact_lock(p_lock_key) AS lock_acquired
    ),
    update_result AS (
        UPDATE emt_projections
        SET status = 'active',
            last_updated = now()
        WHERE name = p_name
          AND partition = p_partition
          AND version = p_version
          AND (SELECT lock_acquired FROM lock_check) = true
        RETURNING name
    )
    SELECT COUNT(*) > 0 INTO v_result FROM update_result;

    RETURN v_result;
END;
$$;


--
-- Name: emt_add_partition(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.emt_add_partition(partition_name text) RETURNS void
    LANGUAGE plpgsql
    AS $$
  BEGIN                
      PERFORM emt_add_table_partition('emt_messages', partition_name);
      PERFORM emt_add_table_partition('emt_streams', partition_name);

      EXECUTE format('
          CREATE TABLE IF NOT EXISTS %I PARTITION OF %I
          FOR VALUES IN (%L);',
          emt_sanitize_name('emt_processors' || '_' || partition_name), 'emt_processors', partition_name
      );

      EXECUTE format('
          CREATE TABLE IF NOT EXISTS %I PARTITION OF %I
          FOR VALUES IN (%L);',
          emt_sanitize_name('emt_projections' || '_' || partition_name), 'emt_projections', partition_name
      );
  END;
  $$;


--
-- Name: emt_add_table_partition(text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.emt_add_table_partition(tablename text, partition_name text) RETURNS void
    LANGUAGE plpgsql
    AS $$
  DECLARE
    v_main_partiton_name     TEXT;
    v_active_partiton_name   TEXT;
    v_archived_partiton_name TEXT;
  BEGIN                
      v_main_partiton_name     := emt_sanitize_name(tableName || '_' || partition_name);
      v_active_partiton_name   := emt_sanitize_name(v_main_partiton_name   || '_active');
      v_archived_partiton_name := emt_sanitize_name(v_main_partiton_name   || '_archived');


      -- create default partition
      EXECUTE format('
          CREATE TABLE IF NOT EXISTS %I PARTITION OF %I
          FOR VALUES IN (%L) PARTITION BY LIST (is_archived);',
          v_main_partiton_name, tableName, partition_name
      );
  
      EXECUTE format('
          CREATE TABLE IF NOT EXISTS %I PARTITION OF %I
          FOR VALUES IN (FALSE);',
          v_active_partiton_name, v_main_partiton_name
      );
  
      EXECUTE format('
          CREATE TABLE IF NOT EXISTS %I PARTITION OF %I
          FOR VALUES IN (TRUE);',
          v_archived_partiton_name, v_main_partiton_name
      );
  END;
  $$;


--
-- Name: emt_sanitize_name(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.emt_sanitize_name(input_name text) RETURNS text
    LANGUAGE plpgsql
    AS $$
    BEGIN
        RETURN REGEXP_REPLACE(input_name, '[^a-zA-Z0-9_]', '_', 'g');
    END;
    $$;


--
-- Name: emt_append_to_stream(text[], jsonb[], jsonb[], text[], text[], text[], text, text, bigint, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.emt_append_to_stream(v_message_ids text[], v_messages_data jsonb[], v_messages_metadata jsonb[], v_message_schema_versions text[], v_message_types text[], v_message_kinds text[], v_stream_id text, v_stream_type text, v_expected_stream_position bigint DEFAULT NULL::bigint, v_partition text DEFAULT public.emt_sanitize_name('default_partition'::text)) RETURNS TABLE(success boolean, next_stream_position bigint, global_positions bigint[], transaction_id xid8)
    LANGUAGE plpgsql
    AS $$
  DECLARE
      v_next_stream_position bigint;
      v_position bigint;
      v_updated_rows int;
      v_transaction_id xid8;
      v_global_positions bigint[];
  BEGIN
      v_transaction_id := pg_current_xact_id();

      IF v_expected_stream_position IS NULL THEN
          SELECT COALESCE(
            (SELECT stream_position 
            FROM emt_streams
            WHERE stream_id = v_stream_id 
              AND partition = v_partition 
              AND is_archived = FALSE
            LIMIT 1), 
            0
        ) INTO v_expected_stream_position;
      END IF;

      v_next_stream_position := v_expected_stream_position + array_upper(v_messages_data, 1);

      IF v_expected_stream_position = 0 THEN
          INSERT INTO emt_streams
              (stream_id, stream_position, partition, stream_type, stream_metadata, is_archived)
          VALUES
              (v_stream_id, v_next_stream_position, v_partition, v_stream_type, '{}', FALSE);
      ELSE
          UPDATE emt_streams as s              
          SET stream_position = v_next_stream_position
          WHERE stream_id = v_stream_id AND stream_position = v_expected_stream_position AND partition = v_partition AND is_archived = FALSE;

          get diagnostics v_updated_rows = row_count;

          IF v_updated_rows = 0 THEN
              RETURN QUERY SELECT FALSE, NULL::bigint, NULL::bigint[], NULL::xid8;
              RETURN;
          END IF;
      END IF;

      WITH ev AS (
          SELECT row_number() OVER () + v_expected_stream_position AS stream_position, 
                message_data, 
                message_metadata, 
                schema_version, 
                message_id, 
                message_type,
                message_kind
          FROM (
              SELECT *
              FROM 
                unnest(v_message_ids, v_messages_data, v_messages_metadata, v_message_schema_versions, v_message_types, v_message_kinds) 
              AS message(message_id, message_data, message_metadata, schema_version, message_type, message_kind)
          ) AS message
      ),
      all_messages_insert AS (
          INSERT INTO emt_messages
              (stream_id, stream_position, partition, message_data, message_metadata, message_schema_version, message_type, message_kind, message_id, transaction_id)
          SELECT 
              v_stream_id, ev.stream_position, v_partition, ev.message_data, ev.message_metadata, ev.schema_version, ev.message_type, ev.message_kind, ev.message_id, v_transaction_id
          FROM ev
          RETURNING global_position
      )
      SELECT 
          array_agg(global_position ORDER BY global_position) INTO v_global_positions
      FROM 
          all_messages_insert;

      RETURN QUERY SELECT TRUE, v_next_stream_position, v_global_positions, v_transaction_id;
  END;
  $$;


--
-- Name: emt_deactivate_projection(bigint, text, text, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.emt_deactivate_projection(p_lock_key bigint, p_name text, p_partition text, p_version integer) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_result BOOLEAN;
BEGIN
    WITH lock_check AS (
        SELECT pg_try_advisory_xact_lock(p_lock_key) AS lock_acquired
    ),
    update_result AS (
        UPDATE emt_projections
        SET status = 'inactive',
            last_updated = now()
        WHERE name = p_name
          AND partition = p_partition
          AND version = p_version
          AND (SELECT lock_acquired FROM lock_check) = true
        RETURNING name
    )
    SELECT COUNT(*) > 0 INTO v_result FROM update_result;

    RETURN v_result;
END;
$$;


--
-- Name: emt_register_projection(bigint, text, text, integer, character varying, text, text, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.emt_register_projection(p_lock_key bigint, p_name text, p_partition text, p_version integer, p_type character varying, p_kind text, p_status text, p_definition jsonb) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_result BOOLEAN;
BEGIN
    WITH lock_check AS (
        SELECT pg_try_advisory_xact_lock(p_lock_key) AS lock_acquired
    ),
    upsert_result AS (
        INSERT INTO emt_projections (
            name, partition, version, type, kind, status, definition, created_at, last_updated
        )
        SELECT p_name, p_partition, p_version, p_type, p_kind, p_status, p_definition, now(), now()
        WHERE (SELECT lock_acquired FROM lock_check) = true
        ON CONFLICT (name, partition, version) DO UPDATE
        SET definition = EXCLUDED.definition,
            last_updated = now()
        RETURNING name
    )
    SELECT COUNT(*) > 0 INTO v_result FROM upsert_result;

    RETURN v_result;
END;
$$;


--
-- Name: emt_release_processor_lock(bigint, text, text, integer, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.emt_release_processor_lock(p_lock_key bigint, p_processor_id text, p_partition text, p_version integer, p_processor_instance_id text DEFAULT 'emt:unknown'::text, p_projection_name text DEFAULT NULL::text) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_rows_updated INT;
BEGIN
    IF p_projection_name IS NOT NULL THEN
        UPDATE emt_projections
        SET status = 'active',
            last_updated = now()
        WHERE partition = p_partition
          AND name = p_projection_name
          AND version = p_version;
    END IF;

    UPDATE emt_processors
    SET status = 'stopped',
        processor_instance_id = 'emt:unknown',
        last_updated = now()
    WHERE processor_id = p_processor_id
      AND partition = p_partition
      AND version = p_version
      AND processor_instance_id = p_processor_instance_id;

    GET DIAGNOSTICS v_rows_updated = ROW_COUNT;

    PERFORM pg_advisory_unlock(p_lock_key);

    RETURN v_rows_updated > 0;
END;
$$;


--
-- Name: emt_try_acquire_processor_lock(bigint, text, integer, text, text, text, character varying, text, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.emt_try_acquire_processor_lock(p_lock_key bigint, p_processor_id text, p_version integer, p_partition text DEFAULT 'emt:default'::text, p_processor_instance_id text DEFAULT 'emt:unknown'::text, p_projection_name text DEFAULT NULL::text, p_projection_type character varying DEFAULT NULL::character varying, p_projection_kind text DEFAULT NULL::text, p_lock_timeout_seconds integer DEFAULT 300) RETURNS TABLE(acquired boolean, checkpoint text)
    LANGUAGE plpgsql
    AS $$
BEGIN
    RETURN QUERY
    WITH lock_check AS (
        SELECT pg_try_advisory_xact_lock(p_lock_key) AS lock_acquired
    ),
    ownership_check AS (
        INSERT INTO emt_processors (
            processor_id,
            partition,
            version,
            processor_instance_id,
            status,
            last_processed_checkpoint,
            last_processed_transaction_id,
            created_at,
            last_updated
        )
        SELECT p_processor_id, p_partition, p_version, p_processor_instance_id, 'running', '0000000000000000000', '0'::xid8, now(), now()
        WHERE (SELECT lock_acquired FROM lock_check) = true
        ON CONFLICT (processor_id, partition, version) DO UPDATE
        SET processor_instance_id = p_processor_instance_id,
            status = 'running',
            last_updated = now()
        WHERE emt_processors.processor_instance_id = p_processor_instance_id
           OR emt_processors.processor_instance_id = 'emt:unknown'
           OR emt_processors.status = 'stopped'
           OR emt_processors.last_updated < now() - (p_lock_timeout_seconds || ' seconds')::interval
        RETURNING last_processed_checkpoint
    ),
    projection_status AS (
        INSERT INTO emt_projections (
            name,
            partition,
            version,
            type,
            kind,
            status,
            definition
        )
        SELECT p_projection_name, p_partition, p_version, p_projection_type, p_projection_kind, 'async_processing', '{}'::jsonb
        WHERE p_projection_name IS NOT NULL
          AND (SELECT last_processed_checkpoint FROM ownership_check) IS NOT NULL
        ON CONFLICT (name, partition, version) DO UPDATE
        SET status = 'async_processing'
        RETURNING name
    )
    SELECT
        (SELECT COUNT(*) > 0 FROM ownership_check),
        (SELECT oc.last_processed_checkpoint FROM ownership_check oc);
END;
$$;


--
-- Name: emt_try_acquire_projection_lock(bigint, text, text, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.emt_try_acquire_projection_lock(p_lock_key bigint, p_partition text, p_name text, p_version integer) RETURNS TABLE(acquired boolean, is_active boolean)
    LANGUAGE plpgsql
    AS $$
BEGIN
    RETURN QUERY
    WITH lock_check AS (
        SELECT pg_try_advisory_xact_lock_shared(p_lock_key) AS acquired
    ),
    status_check AS (
        SELECT status = 'active' AS is_active
        FROM emt_projections
        WHERE partition = p_partition AND name = p_name AND version = p_version
    )
    SELECT
        COALESCE((SELECT lc.acquired FROM lock_check lc), false),
        COALESCE((SELECT sc.is_active FROM status_check sc), true);
END;
$$;


--
-- Name: store_processor_checkpoint(text, bigint, text, text, xid8, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.store_processor_checkpoint(p_processor_id text, p_version bigint, p_position text, p_check_position text, p_transaction_id xid8, p_partition text DEFAULT 'emt:default'::text, p_processor_instance_id text DEFAULT 'emt:unknown'::text) RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
  current_position TEXT;
BEGIN
  -- Handle the case when p_check_position is provided
  IF p_check_position IS NOT NULL THEN
      -- Try to update if the position matches p_check_position
      UPDATE "emt_processors"
      SET
        "last_processed_checkpoint" = p_position,
        "last_processed_transaction_id" = p_transaction_id,
        "last_updated" = now()
      WHERE "processor_id" = p_processor_id
        AND "last_processed_checkpoint" = p_check_position
        AND "partition" = p_partition
        AND "version" = p_version;

      IF FOUND THEN
          RETURN 1;  -- Successfully updated
      END IF;

      -- Retrieve the current position
      SELECT "last_processed_checkpoint" INTO current_position
      FROM "emt_processors"
      WHERE "processor_id" = p_processor_id 
        AND "partition" = p_partition 
        AND "version" = p_version;

      -- Return appropriate codes based on current position
      IF current_position = p_position THEN
          RETURN 0;  -- Idempotent check: position already set
      ELSIF current_position > p_position THEN
          RETURN 3;  -- Current ahead: another process has progressed further
      ELSE
          RETURN 2;  -- Mismatch: check position doesn't match current
      END IF;
  END IF;

  -- Handle the case when p_check_position is NULL: Insert if not exists
  BEGIN
      INSERT INTO "emt_processors"("processor_id", "version", "last_processed_checkpoint", "partition", "last_processed_transaction_id", "created_at", "last_updated")
      VALUES (p_processor_id, p_version, p_position, p_partition, p_transaction_id, now(), now());
      RETURN 1;  -- Successfully inserted
  EXCEPTION WHEN unique_violation THEN
      -- If insertion failed, it means the row already exists
      SELECT "last_processed_checkpoint" INTO current_position
      FROM "emt_processors"
      WHERE "processor_id" = p_processor_id 
        AND "partition" = p_partition 
        AND "version" = p_version;

      IF current_position = p_position THEN
          RETURN 0;  -- Idempotent check: position already set
      ELSIF current_position > p_position THEN
          RETURN 3;  -- Current ahead: another process has progressed further
      ELSE
          RETURN 2;  -- Insertion failed, row already exists with different position
      END IF;
  END;
END;
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: dmb_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.dmb_migrations (
    id integer NOT NULL,
    name character varying(255) NOT NULL,
    application character varying(255) DEFAULT 'default'::character varying NOT NULL,
    sql_hash character varying(64) NOT NULL,
    "timestamp" timestamp without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: dmb_migrations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.dmb_migrations_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: dmb_migrations_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.dmb_migrations_id_seq OWNED BY public.dmb_migrations.id;


--
-- Name: emt_global_message_position; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.emt_global_message_position
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: emt_messages; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.emt_messages (
    stream_position bigint NOT NULL,
    global_position bigint DEFAULT nextval('public.emt_global_message_position'::regclass),
    transaction_id xid8 NOT NULL,
    created timestamp with time zone DEFAULT now() NOT NULL,
    is_archived boolean DEFAULT false NOT NULL,
    message_kind character varying(1) DEFAULT 'E'::character varying NOT NULL,
    stream_id text NOT NULL,
    partition text DEFAULT 'emt:default'::text NOT NULL,
    message_schema_version text NOT NULL,
    message_id text NOT NULL,
    message_type text NOT NULL,
    message_data jsonb NOT NULL,
    message_metadata jsonb NOT NULL
)
PARTITION BY LIST (partition);


--
-- Name: emt_messages_emt_default; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.emt_messages_emt_default (
    stream_position bigint NOT NULL,
    global_position bigint DEFAULT nextval('public.emt_global_message_position'::regclass),
    transaction_id xid8 NOT NULL,
    created timestamp with time zone DEFAULT now() NOT NULL,
    is_archived boolean DEFAULT false NOT NULL,
    message_kind character varying(1) DEFAULT 'E'::character varying NOT NULL,
    stream_id text NOT NULL,
    partition text DEFAULT 'emt:default'::text NOT NULL,
    message_schema_version text NOT NULL,
    message_id text NOT NULL,
    message_type text NOT NULL,
    message_data jsonb NOT NULL,
    message_metadata jsonb NOT NULL
)
PARTITION BY LIST (is_archived);


--
-- Name: emt_messages_emt_default_active; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.emt_messages_emt_default_active (
    stream_position bigint NOT NULL,
    global_position bigint DEFAULT nextval('public.emt_global_message_position'::regclass),
    transaction_id xid8 NOT NULL,
    created timestamp with time zone DEFAULT now() NOT NULL,
    is_archived boolean DEFAULT false NOT NULL,
    message_kind character varying(1) DEFAULT 'E'::character varying NOT NULL,
    stream_id text NOT NULL,
    partition text DEFAULT 'emt:default'::text NOT NULL,
    message_schema_version text NOT NULL,
    message_id text NOT NULL,
    message_type text NOT NULL,
    message_data jsonb NOT NULL,
    message_metadata jsonb NOT NULL
);


--
-- Name: emt_messages_emt_default_archived; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.emt_messages_emt_default_archived (
    stream_position bigint NOT NULL,
    global_position bigint DEFAULT nextval('public.emt_global_message_position'::regclass),
    transaction_id xid8 NOT NULL,
    created timestamp with time zone DEFAULT now() NOT NULL,
    is_archived boolean DEFAULT false NOT NULL,
    message_kind character varying(1) DEFAULT 'E'::character varying NOT NULL,
    stream_id text NOT NULL,
    partition text DEFAULT 'emt:default'::text NOT NULL,
    message_schema_version text NOT NULL,
    message_id text NOT NULL,
    message_type text NOT NULL,
    message_data jsonb NOT NULL,
    message_metadata jsonb NOT NULL
);


--
-- Name: emt_processors; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.emt_processors (
    last_processed_transaction_id xid8 NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    processor_id text NOT NULL,
    partition text DEFAULT 'emt:default'::text NOT NULL,
    status text DEFAULT 'stopped'::text NOT NULL,
    last_processed_checkpoint text NOT NULL,
    processor_instance_id text DEFAULT 'emt:unknown'::text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_updated timestamp with time zone DEFAULT now() NOT NULL
)
PARTITION BY LIST (partition);


--
-- Name: emt_processors_emt_default; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.emt_processors_emt_default (
    last_processed_transaction_id xid8 NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    processor_id text NOT NULL,
    partition text DEFAULT 'emt:default'::text NOT NULL,
    status text DEFAULT 'stopped'::text NOT NULL,
    last_processed_checkpoint text NOT NULL,
    processor_instance_id text DEFAULT 'emt:unknown'::text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_updated timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: emt_projections; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.emt_projections (
    version integer DEFAULT 1 NOT NULL,
    type character varying(1) NOT NULL,
    name text NOT NULL,
    partition text DEFAULT 'emt:default'::text NOT NULL,
    kind text NOT NULL,
    status text NOT NULL,
    definition jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_updated timestamp with time zone DEFAULT now() NOT NULL
)
PARTITION BY LIST (partition);


--
-- Name: emt_projections_emt_default; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.emt_projections_emt_default (
    version integer DEFAULT 1 NOT NULL,
    type character varying(1) NOT NULL,
    name text NOT NULL,
    partition text DEFAULT 'emt:default'::text NOT NULL,
    kind text NOT NULL,
    status text NOT NULL,
    definition jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_updated timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: emt_streams; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.emt_streams (
    stream_id text NOT NULL,
    stream_position bigint NOT NULL,
    partition text DEFAULT 'emt:default'::text NOT NULL,
    stream_type text NOT NULL,
    stream_metadata jsonb NOT NULL,
    is_archived boolean DEFAULT false NOT NULL
)
PARTITION BY LIST (partition);


--
-- Name: emt_streams_emt_default; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.emt_streams_emt_default (
    stream_id text NOT NULL,
    stream_position bigint NOT NULL,
    partition text DEFAULT 'emt:default'::text NOT NULL,
    stream_type text NOT NULL,
    stream_metadata jsonb NOT NULL,
    is_archived boolean DEFAULT false NOT NULL
)
PARTITION BY LIST (is_archived);


--
-- Name: emt_streams_emt_default_active; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.emt_streams_emt_default_active (
    stream_id text NOT NULL,
    stream_position bigint NOT NULL,
    partition text DEFAULT 'emt:default'::text NOT NULL,
    stream_type text NOT NULL,
    stream_metadata jsonb NOT NULL,
    is_archived boolean DEFAULT false NOT NULL
);


--
-- Name: emt_streams_emt_default_archived; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.emt_streams_emt_default_archived (
    stream_id text NOT NULL,
    stream_position bigint NOT NULL,
    partition text DEFAULT 'emt:default'::text NOT NULL,
    stream_type text NOT NULL,
    stream_metadata jsonb NOT NULL,
    is_archived boolean DEFAULT false NOT NULL
);


--
-- Name: emt_messages_emt_default; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_messages ATTACH PARTITION public.emt_messages_emt_default FOR VALUES IN ('emt:default');


--
-- Name: emt_messages_emt_default_active; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_messages_emt_default ATTACH PARTITION public.emt_messages_emt_default_active FOR VALUES IN (false);


--
-- Name: emt_messages_emt_default_archived; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_messages_emt_default ATTACH PARTITION public.emt_messages_emt_default_archived FOR VALUES IN (true);


--
-- Name: emt_processors_emt_default; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_processors ATTACH PARTITION public.emt_processors_emt_default FOR VALUES IN ('emt:default');


--
-- Name: emt_projections_emt_default; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_projections ATTACH PARTITION public.emt_projections_emt_default FOR VALUES IN ('emt:default');


--
-- Name: emt_streams_emt_default; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_streams ATTACH PARTITION public.emt_streams_emt_default FOR VALUES IN ('emt:default');


--
-- Name: emt_streams_emt_default_active; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_streams_emt_default ATTACH PARTITION public.emt_streams_emt_default_active FOR VALUES IN (false);


--
-- Name: emt_streams_emt_default_archived; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_streams_emt_default ATTACH PARTITION public.emt_streams_emt_default_archived FOR VALUES IN (true);


--
-- Name: dmb_migrations id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.dmb_migrations ALTER COLUMN id SET DEFAULT nextval('public.dmb_migrations_id_seq'::regclass);


--
-- Data for Name: dmb_migrations; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.dmb_migrations (id, name, application, sql_hash, "timestamp") FROM stdin;
1	emt:postgresql:eventstore:0.38.7:migrate-events-to-messages	default	8cdd2af05e47081fae213dc48e020845bdb384e0ddfd47cab8185b8bb5a64037	2026-12-01 05:17:00.939595
2	emt:postgresql:eventstore:0.42.0:from-subscriptions-to-processors	default	92e4f894f1d97f6665af1d6a753736d80aa3c41ba465c51a8c18b1671569faa8	2026-12-01 05:17:00.939595
3	emt:postgresql:eventstore:0.42.0-2:add-processor-projection-functions	default	cbc4d85089b625360df8ddcb4e8b2fa6654986476ebbd5b00162781b401584a5	2026-12-01 05:17:00.939595
4	emt:postgresql:eventstore:initial	default	54628492aa411becc6b5f5a71d7464d5a636343bff1ef994e8272710bcabdcfe	2026-12-01 05:17:00.939595
\.


--
-- Data for Name: emt_messages_emt_default_active; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.emt_messages_emt_default_active (stream_position, global_position, transaction_id, created, is_archived, message_kind, stream_id, partition, message_schema_version, message_id, message_type, message_data, message_metadata) FROM stdin;
1	1	2049	2026-12-01 05:17:01.001777+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	07b84ccc-c465-45dc-a3a7-405d1a1159fc	AccountOpened	{"owner": "Anna Schmidt", "currency": "EUR", "openedAt": "2024-06-03T09:01:10.365Z", "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "accountNumber": "DE-3001"}	{"userId": "user-anna", "causationId": "cmd-OpenAccount-ea38a950577a", "correlationId": "open-DE-3001"}
2	2	2049	2026-12-01 05:17:01.001777+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	1884cf3d-e1f7-49fb-bf99-e49ba41e28ec	MoneyDeposited	{"amount": 3638.18, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "depositId": "cd0b494b-5e73-46df-9c2b-f171c90899a6", "depositedAt": "2024-06-03T09:21:20.080Z"}	{"userId": "user-anna", "causationId": "cmd-OpenAccount-d8b670ddf1c8", "correlationId": "open-DE-3001"}
1	3	2050	2026-12-01 05:17:01.008944+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	36266b78-7216-4331-86ec-f647d7427482	AccountOpened	{"owner": "Jörg Müller", "currency": "EUR", "openedAt": "2024-06-03T11:12:27.470Z", "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "accountNumber": "DE-3002"}	{"userId": "user-joerg", "causationId": "cmd-OpenAccount-e06a32f3398e", "correlationId": "open-DE-3002"}
2	4	2050	2026-12-01 05:17:01.008944+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	733bfa8c-d3e3-4444-ace9-fe872aab2c88	MoneyDeposited	{"amount": 1981.69, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "depositId": "7e72606c-2d91-4f2c-801a-8ff245fe9d2a", "depositedAt": "2024-06-03T13:01:07.881Z"}	{"userId": "user-joerg", "causationId": "cmd-OpenAccount-d16bdd086104", "correlationId": "open-DE-3002"}
1	5	2051	2026-12-01 05:17:01.010327+00	f	E	bank_account-37c625e8-2484-4427-ab54-ebe54d4bfd3e	emt:default	1	7dd16f3d-32a7-45d1-9026-131c24473d96	AccountOpened	{"owner": "Oliver Brown", "currency": "GBP", "openedAt": "2024-06-03T14:38:46.341Z", "accountId": "37c625e8-2484-4427-ab54-ebe54d4bfd3e", "accountNumber": "GB-3003"}	{"userId": "user-oliver", "causationId": "cmd-OpenAccount-37b16be3f38b", "correlationId": "open-GB-3003"}
2	6	2051	2026-12-01 05:17:01.010327+00	f	E	bank_account-37c625e8-2484-4427-ab54-ebe54d4bfd3e	emt:default	1	35056a9e-cbbd-42dd-bd06-639e9776f59d	MoneyDeposited	{"amount": 3973.28, "accountId": "37c625e8-2484-4427-ab54-ebe54d4bfd3e", "depositId": "17f12a1e-5aa8-42af-9036-70018e6101bf", "depositedAt": "2024-06-03T16:28:45.675Z"}	{"userId": "user-oliver", "causationId": "cmd-OpenAccount-9619f3a3a116", "correlationId": "open-GB-3003"}
1	7	2052	2026-12-01 05:17:01.016706+00	f	E	bank_account-02b9399e-4366-4a1c-a657-8d675e207886	emt:default	1	56d34f28-dc12-4f83-9c01-6723dca3a67f	AccountOpened	{"owner": "Zofia Kowalska", "currency": "PLN", "openedAt": "2024-06-03T16:44:32.925Z", "accountId": "02b9399e-4366-4a1c-a657-8d675e207886", "accountNumber": "PL-3004"}	{"userId": "user-zofia", "causationId": "cmd-OpenAccount-e57a4c41294b", "correlationId": "open-PL-3004"}
2	8	2052	2026-12-01 05:17:01.016706+00	f	E	bank_account-02b9399e-4366-4a1c-a657-8d675e207886	emt:default	1	8fe68795-45e7-4324-ad79-4a815ade9fc6	MoneyDeposited	{"amount": 3703.14, "accountId": "02b9399e-4366-4a1c-a657-8d675e207886", "depositId": "01d8e1a1-6761-4b8c-bd1a-221fae20d92e", "depositedAt": "2024-06-03T17:40:37.132Z"}	{"userId": "user-zofia", "causationId": "cmd-OpenAccount-1a13485e39a5", "correlationId": "open-PL-3004"}
1	9	2053	2026-12-01 05:17:01.018067+00	f	E	bank_account-8e80b59f-3c95-4cd2-8cfb-9c26ceb4f831	emt:default	1	37294782-6a25-4c24-b187-98221769ff39	AccountOpened	{"owner": "Chloé Martin", "currency": "EUR", "openedAt": "2024-06-03T18:54:50.952Z", "accountId": "8e80b59f-3c95-4cd2-8cfb-9c26ceb4f831", "accountNumber": "FR-3005"}	{"userId": "user-chloe", "causationId": "cmd-OpenAccount-f2e762fb92d9", "correlationId": "open-FR-3005"}
2	10	2053	2026-12-01 05:17:01.018067+00	f	E	bank_account-8e80b59f-3c95-4cd2-8cfb-9c26ceb4f831	emt:default	1	fb580f46-b47a-4332-9a65-80d4015a12ab	MoneyDeposited	{"amount": 2605.96, "accountId": "8e80b59f-3c95-4cd2-8cfb-9c26ceb4f831", "depositId": "e372c2d5-4961-45e7-97ad-98888d266c96", "depositedAt": "2024-06-03T19:31:59.297Z"}	{"userId": "user-chloe", "causationId": "cmd-OpenAccount-a4ff45a4c236", "correlationId": "open-FR-3005"}
3	11	2054	2026-12-01 05:17:01.019508+00	f	E	bank_account-02b9399e-4366-4a1c-a657-8d675e207886	emt:default	1	e80480e0-4a79-4c79-ae78-eda9e4ada4a5	MoneyDeposited	{"amount": 66.18, "accountId": "02b9399e-4366-4a1c-a657-8d675e207886", "depositId": "cc349bbc-5cf7-4f70-b475-7527c84a50d0", "depositedAt": "2024-06-03T21:13:52.057Z"}	{"userId": "user-zofia", "causationId": "cmd-Deposit-504fab783371", "correlationId": "req-3e7118bb90"}
3	12	2055	2026-12-01 05:17:01.021004+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	8bb19a9c-769a-4e8e-ae48-45d86e434f1f	MoneyWithdrawn	{"amount": 584.95, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "withdrawnAt": "2024-06-03T21:42:52.499Z", "withdrawalId": "45af6a0b-a777-476f-b6fa-be124705c863"}	{"userId": "user-anna", "causationId": "cmd-Withdraw-ff5c2918b4d4", "correlationId": "req-fe7dbda38d"}
4	13	2056	2026-12-01 05:17:01.022161+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	ac10c83e-115a-4bf0-a33d-9bcc812e3707	MoneyWithdrawn	{"amount": 1736.85, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "withdrawnAt": "2024-06-03T22:24:59.670Z", "withdrawalId": "ef02f343-fab2-4e8d-9a01-74671b243fba"}	{"userId": "user-anna", "causationId": "cmd-Withdraw-8f1ac7019f1e", "correlationId": "req-2b629c6b52"}
5	14	2057	2026-12-01 05:17:01.023401+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	fdf8d181-b66c-4eee-ab4f-46717aa1d05b	MoneyDeposited	{"amount": 356, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "depositId": "526736ed-1369-4f78-b9eb-147303a87d15", "depositedAt": "2024-06-03T23:20:11.832Z"}	{"userId": "user-anna", "causationId": "cmd-Deposit-a162f0cbaca0", "correlationId": "req-ef506784e3"}
1	15	2058	2026-12-01 05:17:01.02475+00	f	E	transfer-70facb70-3c79-481d-a00a-998001fdf1b2	emt:default	1	b3ff82e3-9684-44bb-bb64-d0d22a487c92	TransferInitiated	{"amount": 418.1, "transferId": "70facb70-3c79-481d-a00a-998001fdf1b2", "initiatedAt": "2024-06-03T23:31:23.007Z", "toAccountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "fromAccountId": "7716f5aa-4657-4295-8011-008e78ed3652"}	{"userId": "user-anna", "causationId": "cmd-TransferMoney-4e48c544334b", "correlationId": "transfer-70facb70-3c79-481d-a00a-998001fdf1b2"}
6	16	2059	2026-12-01 05:17:01.025919+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	f0fd960a-5b98-492b-b8b0-d307324094f3	MoneyWithdrawn	{"amount": 418.1, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "withdrawnAt": "2024-06-04T00:22:38.849Z", "withdrawalId": "70facb70-3c79-481d-a00a-998001fdf1b2"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-89c52139c44d", "correlationId": "transfer-70facb70-3c79-481d-a00a-998001fdf1b2"}
3	17	2060	2026-12-01 05:17:01.027173+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	3e314d9a-7c7b-499f-a4b2-7bc75a27c90a	MoneyDeposited	{"amount": 418.1, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "depositId": "70facb70-3c79-481d-a00a-998001fdf1b2", "depositedAt": "2024-06-04T00:43:33.678Z"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-c8543faeec95", "correlationId": "transfer-70facb70-3c79-481d-a00a-998001fdf1b2"}
2	18	2061	2026-12-01 05:17:01.033808+00	f	E	transfer-70facb70-3c79-481d-a00a-998001fdf1b2	emt:default	1	23a3db63-370e-4054-b6c8-b7407b63235d	TransferCompleted	{"transferId": "70facb70-3c79-481d-a00a-998001fdf1b2", "completedAt": "2024-06-04T02:28:30.603Z"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-19c36da288c9", "correlationId": "transfer-70facb70-3c79-481d-a00a-998001fdf1b2"}
7	19	2062	2026-12-01 05:17:01.034781+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	7218c4d6-a8d4-488d-a9e0-2ce23d3f3d44	MoneyWithdrawn	{"amount": 685.97, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "withdrawnAt": "2024-06-04T03:31:14.392Z", "withdrawalId": "fb39a8d4-c6e2-46eb-b8a4-e3b318e57f22"}	{"userId": "user-anna", "causationId": "cmd-Withdraw-478d8334486d", "correlationId": "req-b9e4e509a8"}
3	20	2063	2026-12-01 05:17:01.036727+00	f	E	bank_account-37c625e8-2484-4427-ab54-ebe54d4bfd3e	emt:default	1	748c3d24-4415-4ed4-bc9b-714b83570b23	MoneyWithdrawn	{"amount": 30.83, "accountId": "37c625e8-2484-4427-ab54-ebe54d4bfd3e", "withdrawnAt": "2024-06-04T03:55:15.696Z", "withdrawalId": "a4598c49-74b9-40c0-a703-4e9fb6f59752"}	{"userId": "user-oliver", "causationId": "cmd-Withdraw-fc03c6af5c9c", "correlationId": "req-68020cbb97"}
8	21	2064	2026-12-01 05:17:01.040651+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	c72c520f-5cb7-45ce-95ea-22433be0aa9f	MoneyDeposited	{"amount": 893.79, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "depositId": "53f64ccd-7628-4004-b872-b6c7a25c21a2", "depositedAt": "2024-06-04T04:42:47.412Z"}	{"userId": "user-anna", "causationId": "cmd-Deposit-99d9ad7a436c", "correlationId": "req-14c961cdcd"}
4	22	2065	2026-12-01 05:17:01.042013+00	f	E	bank_account-37c625e8-2484-4427-ab54-ebe54d4bfd3e	emt:default	1	b63d4fdd-713a-4e91-a74f-133575629fb9	MoneyDeposited	{"amount": 277.05, "accountId": "37c625e8-2484-4427-ab54-ebe54d4bfd3e", "depositId": "6dc6c10f-cd58-42eb-9639-304adf910632", "depositedAt": "2024-06-04T06:02:30.593Z"}	{"userId": "user-oliver", "causationId": "cmd-Deposit-0351c3cfa97e", "correlationId": "req-6aa96238dd"}
4	23	2066	2026-12-01 05:17:01.044145+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	cb9f0eca-056d-40f3-b1bf-558f97682d5d	MoneyWithdrawn	{"amount": 1351.57, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "withdrawnAt": "2024-06-04T06:18:49.494Z", "withdrawalId": "8ca6c5ef-d18f-408e-80b4-088656c7029a"}	{"userId": "user-joerg", "causationId": "cmd-Withdraw-99c3069dd896", "correlationId": "req-1727b4c34d"}
5	24	2067	2026-12-01 05:17:01.045074+00	f	E	bank_account-37c625e8-2484-4427-ab54-ebe54d4bfd3e	emt:default	1	07414b1d-7713-4af7-96e3-6a6b7cd9fb2c	MoneyDeposited	{"amount": 178.55, "accountId": "37c625e8-2484-4427-ab54-ebe54d4bfd3e", "depositId": "f1ac619e-0c86-4a71-8576-724cb798109d", "depositedAt": "2024-06-04T06:57:39.765Z"}	{"userId": "user-oliver", "causationId": "cmd-Deposit-815009aa2d05", "correlationId": "req-7151e99c1f"}
4	25	2068	2026-12-01 05:17:01.052845+00	f	E	bank_account-02b9399e-4366-4a1c-a657-8d675e207886	emt:default	1	a308923c-1977-4a75-9f85-d0be2c318324	MoneyWithdrawn	{"amount": 1586.92, "accountId": "02b9399e-4366-4a1c-a657-8d675e207886", "withdrawnAt": "2024-06-04T08:17:59.620Z", "withdrawalId": "9adc3f32-f162-4eb7-9634-4d5f996d3e26"}	{"userId": "user-zofia", "causationId": "cmd-Withdraw-2de921788d47", "correlationId": "req-c27e413a6b"}
9	26	2069	2026-12-01 05:17:01.053881+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	1f036e1e-997f-4e2c-9887-09328df2e4c9	MoneyWithdrawn	{"amount": 525.31, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "withdrawnAt": "2024-06-04T09:19:47.252Z", "withdrawalId": "38c9ea9b-0f2c-40e1-ae7d-5aacaec7f728"}	{"userId": "user-anna", "causationId": "cmd-Withdraw-ce51a89dccc6", "correlationId": "req-e7622cc619"}
1	27	2070	2026-12-01 05:17:01.054725+00	f	E	transfer-25fa1396-e53c-4d64-84ed-a06f8b58840a	emt:default	1	d15dd7c8-b219-49d6-82d2-8623e6d6c8ee	TransferInitiated	{"amount": 234.2, "transferId": "25fa1396-e53c-4d64-84ed-a06f8b58840a", "initiatedAt": "2024-06-04T11:02:57.571Z", "toAccountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "fromAccountId": "7716f5aa-4657-4295-8011-008e78ed3652"}	{"userId": "user-anna", "causationId": "cmd-TransferMoney-ca48b68be310", "correlationId": "transfer-25fa1396-e53c-4d64-84ed-a06f8b58840a"}
10	28	2071	2026-12-01 05:17:01.055476+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	3d0f759a-6e1f-480e-80ed-c0b5c3133596	MoneyWithdrawn	{"amount": 234.2, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "withdrawnAt": "2024-06-04T11:31:27.274Z", "withdrawalId": "25fa1396-e53c-4d64-84ed-a06f8b58840a"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-1eed9edd3b7b", "correlationId": "transfer-25fa1396-e53c-4d64-84ed-a06f8b58840a"}
5	29	2072	2026-12-01 05:17:01.056307+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	fd1c9e0b-8a48-4704-b513-596e248040e7	MoneyDeposited	{"amount": 234.2, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "depositId": "25fa1396-e53c-4d64-84ed-a06f8b58840a", "depositedAt": "2024-06-04T11:53:09.976Z"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-615e67c9f682", "correlationId": "transfer-25fa1396-e53c-4d64-84ed-a06f8b58840a"}
2	30	2073	2026-12-01 05:17:01.05715+00	f	E	transfer-25fa1396-e53c-4d64-84ed-a06f8b58840a	emt:default	1	e3102340-5770-4b95-9ae6-ed11fdd6c7cf	TransferCompleted	{"transferId": "25fa1396-e53c-4d64-84ed-a06f8b58840a", "completedAt": "2024-06-04T12:10:46.448Z"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-6dc86859da2e", "correlationId": "transfer-25fa1396-e53c-4d64-84ed-a06f8b58840a"}
5	31	2074	2026-12-01 05:17:01.057921+00	f	E	bank_account-02b9399e-4366-4a1c-a657-8d675e207886	emt:default	1	f8621427-d53b-4c75-bc45-1dad5e986658	MoneyWithdrawn	{"amount": 72.06, "accountId": "02b9399e-4366-4a1c-a657-8d675e207886", "withdrawnAt": "2024-06-04T14:07:07.587Z", "withdrawalId": "14e86e00-3aa8-4885-884b-ddc93247bbf5"}	{"userId": "user-zofia", "causationId": "cmd-Withdraw-f9286bffa731", "correlationId": "req-4f1f2f04b7"}
11	32	2075	2026-12-01 05:17:01.058706+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	9c750b9b-2b8e-4817-aa04-bd3d3cf12461	MoneyWithdrawn	{"amount": 57.26, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "withdrawnAt": "2024-06-04T14:15:29.341Z", "withdrawalId": "55259a95-8e6e-4be9-bd3b-8d61914f031c"}	{"userId": "user-anna", "causationId": "cmd-Withdraw-c4a4a4522dfa", "correlationId": "req-e5f583c364"}
12	33	2076	2026-12-01 05:17:01.059463+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	357217d5-7c02-4bed-809c-a38cd3a43f64	MoneyDeposited	{"amount": 110.59, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "depositId": "75f42841-d3c3-41cd-aca7-e4596cf9a565", "depositedAt": "2024-06-04T16:07:17.804Z"}	{"userId": "user-anna", "causationId": "cmd-Deposit-17b3c267bbc1", "correlationId": "req-ac6ad47f78"}
6	34	2077	2026-12-01 05:17:01.060311+00	f	E	bank_account-02b9399e-4366-4a1c-a657-8d675e207886	emt:default	1	6134b544-5710-481a-9dc7-a65bc521f0e1	MoneyDeposited	{"amount": 635.09, "accountId": "02b9399e-4366-4a1c-a657-8d675e207886", "depositId": "84873dec-498c-4502-844c-03106b36dfcc", "depositedAt": "2024-06-04T17:20:51.347Z"}	{"userId": "user-zofia", "causationId": "cmd-Deposit-9fb969354e08", "correlationId": "req-739a7751a7"}
13	35	2078	2026-12-01 05:17:01.061101+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	d9bb2c74-cb91-4920-a05f-956bfbe1d1f7	MoneyWithdrawn	{"amount": 79.69, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "withdrawnAt": "2024-06-04T19:14:15.128Z", "withdrawalId": "426b102f-43f1-4883-a875-64abb5df484a"}	{"userId": "user-anna", "causationId": "cmd-Withdraw-fbe97eb4bbb2", "correlationId": "req-2d01c5b100"}
14	36	2079	2026-12-01 05:17:01.061886+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	46b4a998-e83d-4913-8d8c-04bab18a760d	MoneyDeposited	{"amount": 211.06, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "depositId": "cc4d6c96-60ee-43e6-a9f6-9902b02c36fe", "depositedAt": "2024-06-04T20:11:12.987Z"}	{"userId": "user-anna", "causationId": "cmd-Deposit-0aea1b75cf8b", "correlationId": "req-cf2300e005"}
6	37	2080	2026-12-01 05:17:01.062686+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	da90d16d-6db5-4ec9-9e59-4f9362f56ca9	OwnerRenamed	{"owner": "Jörg Müller-Weiß", "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "renamedAt": "2024-06-04T21:08:48.189Z"}	{"userId": "user-joerg", "causationId": "cmd-RenameOwner-87db4489e38f", "correlationId": "req-5420cd5187"}
7	38	2081	2026-12-01 05:17:01.063478+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	5b1e9b80-d957-4311-af0d-c5e8c2f34592	MoneyWithdrawn	{"amount": 335.89, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "withdrawnAt": "2024-06-04T22:50:09.353Z", "withdrawalId": "f864f038-8a5a-4f37-805a-310b03936932"}	{"userId": "user-joerg", "causationId": "cmd-Withdraw-bfe18364eed3", "correlationId": "req-280ba80c27"}
1	39	2082	2026-12-01 05:17:01.089756+00	f	E	transfer-b24154cc-c414-421f-a832-4384aa3e563e	emt:default	1	3dafd0d5-99bf-405c-a88f-14826deadd02	TransferInitiated	{"amount": 221.82, "transferId": "b24154cc-c414-421f-a832-4384aa3e563e", "initiatedAt": "2024-06-04T22:59:46.031Z", "toAccountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "fromAccountId": "7716f5aa-4657-4295-8011-008e78ed3652"}	{"userId": "user-anna", "causationId": "cmd-TransferMoney-50b01c3a7bbf", "correlationId": "transfer-b24154cc-c414-421f-a832-4384aa3e563e"}
15	40	2083	2026-12-01 05:17:01.090918+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	1ca16302-b900-4a82-a090-543049e4b994	MoneyWithdrawn	{"amount": 221.82, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "withdrawnAt": "2024-06-04T23:36:50.212Z", "withdrawalId": "b24154cc-c414-421f-a832-4384aa3e563e"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-bef0872f12e7", "correlationId": "transfer-b24154cc-c414-421f-a832-4384aa3e563e"}
8	41	2084	2026-12-01 05:17:01.091691+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	0453ad4b-6413-4485-bbf2-e02a3fc3e70e	MoneyDeposited	{"amount": 221.82, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "depositId": "b24154cc-c414-421f-a832-4384aa3e563e", "depositedAt": "2024-06-05T00:21:26.530Z"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-b678a027bde3", "correlationId": "transfer-b24154cc-c414-421f-a832-4384aa3e563e"}
2	42	2085	2026-12-01 05:17:01.092478+00	f	E	transfer-b24154cc-c414-421f-a832-4384aa3e563e	emt:default	1	925b6eb2-ed7a-4fb3-97d2-a271c0811f57	TransferCompleted	{"transferId": "b24154cc-c414-421f-a832-4384aa3e563e", "completedAt": "2024-06-05T02:07:58.606Z"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-119b72cf0eff", "correlationId": "transfer-b24154cc-c414-421f-a832-4384aa3e563e"}
9	43	2086	2026-12-01 05:17:01.093221+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	1b0e2bc6-a8fb-4183-ba07-55a4bc6a166f	MoneyWithdrawn	{"amount": 429.98, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "withdrawnAt": "2024-06-05T03:55:36.235Z", "withdrawalId": "ce52e956-c788-4f05-892b-b576d43ad077"}	{"userId": "user-joerg", "causationId": "cmd-Withdraw-bb48a62d9d49", "correlationId": "req-69b6c16225"}
7	44	2087	2026-12-01 05:17:01.093908+00	f	E	bank_account-02b9399e-4366-4a1c-a657-8d675e207886	emt:default	1	9ede476a-993c-456a-90bb-9acef3e6f36b	MoneyDeposited	{"amount": 612.54, "accountId": "02b9399e-4366-4a1c-a657-8d675e207886", "depositId": "1fa2f60f-695f-4453-a32a-fa3a5a678444", "depositedAt": "2024-06-05T05:33:17.820Z"}	{"userId": "user-zofia", "causationId": "cmd-Deposit-82e6fd382313", "correlationId": "req-7918d8a85a"}
8	45	2088	2026-12-01 05:17:01.09465+00	f	E	bank_account-02b9399e-4366-4a1c-a657-8d675e207886	emt:default	1	727905da-b3ca-4981-be1f-cb186a9f6dc5	MoneyDeposited	{"amount": 189.37, "accountId": "02b9399e-4366-4a1c-a657-8d675e207886", "depositId": "ed480ae8-654d-4d0b-aae2-f9437f446030", "depositedAt": "2024-06-05T06:39:40.051Z"}	{"userId": "user-zofia", "causationId": "cmd-Deposit-057825e69555", "correlationId": "req-84edd45e3a"}
9	46	2089	2026-12-01 05:17:01.100744+00	f	E	bank_account-02b9399e-4366-4a1c-a657-8d675e207886	emt:default	1	cdce7f0c-147c-4405-8aec-899dde24906a	MoneyDeposited	{"amount": 324.83, "accountId": "02b9399e-4366-4a1c-a657-8d675e207886", "depositId": "04b30c97-1bbc-40dd-9299-cd6858d0816e", "depositedAt": "2024-06-05T08:26:22.841Z"}	{"userId": "user-zofia", "causationId": "cmd-Deposit-13769a7f2477", "correlationId": "req-c44a361e9d"}
3	47	2090	2026-12-01 05:17:01.101606+00	f	E	bank_account-8e80b59f-3c95-4cd2-8cfb-9c26ceb4f831	emt:default	1	8cbf965d-0e90-44ca-a8e5-2ada6cbf15c5	MoneyWithdrawn	{"amount": 674.17, "accountId": "8e80b59f-3c95-4cd2-8cfb-9c26ceb4f831", "withdrawnAt": "2024-06-05T09:14:49.082Z", "withdrawalId": "c3701fcb-8d2f-4973-87ff-e2e6186b44af"}	{"userId": "user-chloe", "causationId": "cmd-Withdraw-fedeaf947037", "correlationId": "req-a1cad2aad0"}
10	48	2091	2026-12-01 05:17:01.102347+00	f	E	bank_account-02b9399e-4366-4a1c-a657-8d675e207886	emt:default	1	14a75172-0e90-420b-a0c9-ef08a2926006	MoneyWithdrawn	{"amount": 1984.83, "accountId": "02b9399e-4366-4a1c-a657-8d675e207886", "withdrawnAt": "2024-06-05T11:01:45.051Z", "withdrawalId": "ebf87a78-71c8-48b2-bdb0-9933f09e71c9"}	{"userId": "user-zofia", "causationId": "cmd-Withdraw-aaddc449e174", "correlationId": "req-b97b104156"}
16	49	2092	2026-12-01 05:17:01.103073+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	905d23e0-6a1c-47e3-a9d0-a039e0c14a58	MoneyWithdrawn	{"amount": 217.02, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "withdrawnAt": "2024-06-05T12:31:08.231Z", "withdrawalId": "25ae35bb-691a-4fe1-a8c3-c66735cace01"}	{"userId": "user-anna", "causationId": "cmd-Withdraw-7a56a12b242f", "correlationId": "req-1ee4885e2d"}
17	50	2093	2026-12-01 05:17:01.103837+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	0420f395-3736-4fbc-ab92-b623a099ff3e	MoneyDeposited	{"amount": 458.34, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "depositId": "1f690aa3-80f1-4526-951c-6be89b3ad9e6", "depositedAt": "2024-06-05T12:41:11.823Z"}	{"userId": "user-anna", "causationId": "cmd-Deposit-3830e012d467", "correlationId": "req-e707dafa95"}
1	51	2094	2026-12-01 05:17:01.104572+00	f	E	transfer-eb068dfe-c057-4de0-822a-bc5da4d0bf03	emt:default	1	9f7ec14b-b956-4cca-b143-697b786bc9ac	TransferInitiated	{"amount": 226.7, "transferId": "eb068dfe-c057-4de0-822a-bc5da4d0bf03", "initiatedAt": "2024-06-05T13:47:04.286Z", "toAccountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "fromAccountId": "7716f5aa-4657-4295-8011-008e78ed3652"}	{"userId": "user-anna", "causationId": "cmd-TransferMoney-7f07cd88ee23", "correlationId": "transfer-eb068dfe-c057-4de0-822a-bc5da4d0bf03"}
18	52	2095	2026-12-01 05:17:01.105299+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	77647188-c7fd-4aaf-b844-295970202fd1	MoneyWithdrawn	{"amount": 226.7, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "withdrawnAt": "2024-06-05T14:21:54.395Z", "withdrawalId": "eb068dfe-c057-4de0-822a-bc5da4d0bf03"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-d5bf4e13179f", "correlationId": "transfer-eb068dfe-c057-4de0-822a-bc5da4d0bf03"}
10	53	2096	2026-12-01 05:17:01.105989+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	dedd1711-7f5e-4155-9fd6-98955953cbaf	MoneyDeposited	{"amount": 226.7, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "depositId": "eb068dfe-c057-4de0-822a-bc5da4d0bf03", "depositedAt": "2024-06-05T15:36:44.759Z"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-f8018fd74e64", "correlationId": "transfer-eb068dfe-c057-4de0-822a-bc5da4d0bf03"}
2	54	2097	2026-12-01 05:17:01.106661+00	f	E	transfer-eb068dfe-c057-4de0-822a-bc5da4d0bf03	emt:default	1	b5293c19-cf17-45fd-ab93-9f24838553c3	TransferCompleted	{"transferId": "eb068dfe-c057-4de0-822a-bc5da4d0bf03", "completedAt": "2024-06-05T17:03:23.794Z"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-6f5c8578fc0d", "correlationId": "transfer-eb068dfe-c057-4de0-822a-bc5da4d0bf03"}
11	55	2098	2026-12-01 05:17:01.107417+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	cd037ce3-fb7a-481e-8ab3-0ad914268923	MoneyWithdrawn	{"amount": 18, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "withdrawnAt": "2024-06-05T18:44:04.982Z", "withdrawalId": "c33f2fcf-4677-4f94-86a6-afaa47a66a81"}	{"userId": "user-joerg", "causationId": "cmd-Withdraw-7d9698728a49", "correlationId": "req-26d4969f70"}
12	56	2099	2026-12-01 05:17:01.108121+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	f403a498-c647-4d0c-a620-634ff1dc71c4	MoneyWithdrawn	{"amount": 472.46, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "withdrawnAt": "2024-06-05T19:34:08.349Z", "withdrawalId": "fc8dd292-6d1b-4bbf-b211-3129e69d5236"}	{"userId": "user-joerg", "causationId": "cmd-Withdraw-bf2ae60098bd", "correlationId": "req-cd2e6d7606"}
19	57	2100	2026-12-01 05:17:01.108848+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	ac38986e-e2f4-4a6e-a59a-60145ed566a9	MoneyDeposited	{"amount": 465.6, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "depositId": "c9b6bda2-dfd9-46e4-af2e-54cbe511dc7e", "depositedAt": "2024-06-05T21:27:12.105Z"}	{"userId": "user-anna", "causationId": "cmd-Deposit-7fbdf6317df5", "correlationId": "req-c3e50ccf57"}
13	58	2101	2026-12-01 05:17:01.109582+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	441808f5-21b7-4063-9d97-9d51b951d58b	MoneyWithdrawn	{"amount": 222.42, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "withdrawnAt": "2024-06-05T23:04:40.093Z", "withdrawalId": "a27e2920-c745-478d-b622-a746758f1026"}	{"userId": "user-joerg", "causationId": "cmd-Withdraw-d0adc1ec3f80", "correlationId": "req-0b614451e9"}
14	59	2102	2026-12-01 05:17:01.11029+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	8e6e106a-918e-4bca-8c57-1e38193b9b35	MoneyWithdrawn	{"amount": 2.38, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "withdrawnAt": "2024-06-06T00:24:38.998Z", "withdrawalId": "1779e9b3-791f-47bf-bbe9-620d696ad540"}	{"userId": "user-joerg", "causationId": "cmd-Withdraw-1e5780382478", "correlationId": "req-c98d20601a"}
20	60	2103	2026-12-01 05:17:01.110965+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	9c6d7ace-da81-45ef-bb7a-bc2bef149d6a	MoneyWithdrawn	{"amount": 643.2, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "withdrawnAt": "2024-06-06T02:02:09.815Z", "withdrawalId": "6fe436b7-b1fb-4209-8c6a-83145f526bad"}	{"userId": "user-anna", "causationId": "cmd-Withdraw-824d553c51a4", "correlationId": "req-66b39f443f"}
21	61	2104	2026-12-01 05:17:01.116609+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	59ec0734-ffa1-49fd-9998-e7fa2babcdd1	MoneyDeposited	{"amount": 798, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "depositId": "26345c53-be18-4df9-9b7f-ae329fd024f9", "depositedAt": "2024-06-06T02:11:20.185Z"}	{"userId": "user-anna", "causationId": "cmd-Deposit-9cf9b0842db5", "correlationId": "req-f5f30ad241"}
4	62	2105	2026-12-01 05:17:01.117432+00	f	E	bank_account-8e80b59f-3c95-4cd2-8cfb-9c26ceb4f831	emt:default	1	f76ffcd8-1a92-4339-82e5-c9771207a1e7	MoneyWithdrawn	{"amount": 803.32, "accountId": "8e80b59f-3c95-4cd2-8cfb-9c26ceb4f831", "withdrawnAt": "2024-06-06T02:14:10.330Z", "withdrawalId": "57a856e4-b391-410f-8103-c21083189af0"}	{"userId": "user-chloe", "causationId": "cmd-Withdraw-adc080511c92", "correlationId": "req-29516abf5b"}
1	63	2106	2026-12-01 05:17:01.118179+00	f	E	transfer-16a0aa00-2bf8-43aa-8f7c-8809294fc0e3	emt:default	1	47821cd3-25f6-46e9-9799-d57008c0ab1f	TransferInitiated	{"amount": 1099.51, "transferId": "16a0aa00-2bf8-43aa-8f7c-8809294fc0e3", "initiatedAt": "2024-06-06T03:44:54.816Z", "toAccountId": "7716f5aa-4657-4295-8011-008e78ed3652", "fromAccountId": "37c625e8-2484-4427-ab54-ebe54d4bfd3e"}	{"userId": "user-oliver", "causationId": "cmd-TransferMoney-7779ea4b1e10", "correlationId": "transfer-16a0aa00-2bf8-43aa-8f7c-8809294fc0e3"}
6	64	2107	2026-12-01 05:17:01.11887+00	f	E	bank_account-37c625e8-2484-4427-ab54-ebe54d4bfd3e	emt:default	1	5ef5f97a-2d9b-4853-8398-e613e241af2c	MoneyWithdrawn	{"amount": 1099.51, "accountId": "37c625e8-2484-4427-ab54-ebe54d4bfd3e", "withdrawnAt": "2024-06-06T04:31:49.207Z", "withdrawalId": "16a0aa00-2bf8-43aa-8f7c-8809294fc0e3"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-7d10504be8cf", "correlationId": "transfer-16a0aa00-2bf8-43aa-8f7c-8809294fc0e3"}
22	65	2108	2026-12-01 05:17:01.119594+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	def891d3-810f-4186-993f-6fe3e4ad219c	MoneyDeposited	{"amount": 1099.51, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "depositId": "16a0aa00-2bf8-43aa-8f7c-8809294fc0e3", "depositedAt": "2024-06-06T06:10:02.401Z"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-9161adc4ad8c", "correlationId": "transfer-16a0aa00-2bf8-43aa-8f7c-8809294fc0e3"}
2	66	2109	2026-12-01 05:17:01.120383+00	f	E	transfer-16a0aa00-2bf8-43aa-8f7c-8809294fc0e3	emt:default	1	39ec07d1-be4b-4883-92dd-60de894f8a17	TransferCompleted	{"transferId": "16a0aa00-2bf8-43aa-8f7c-8809294fc0e3", "completedAt": "2024-06-06T07:27:10.303Z"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-52e9ab52ba8c", "correlationId": "transfer-16a0aa00-2bf8-43aa-8f7c-8809294fc0e3"}
7	67	2110	2026-12-01 05:17:01.121076+00	f	E	bank_account-37c625e8-2484-4427-ab54-ebe54d4bfd3e	emt:default	1	a2a06a77-bd7f-4ec3-8c9c-4ebc5fd10c3c	MoneyWithdrawn	{"amount": 1796.12, "accountId": "37c625e8-2484-4427-ab54-ebe54d4bfd3e", "withdrawnAt": "2024-06-06T07:29:57.702Z", "withdrawalId": "02f90810-a9bb-4edd-9bf5-ce6d76c42a0c"}	{"userId": "user-oliver", "causationId": "cmd-Withdraw-c1e7aecbc0cb", "correlationId": "req-dd0facd652"}
23	68	2111	2026-12-01 05:17:01.121815+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	c424a5d3-86fa-4eb9-b65f-123b542321e2	MoneyWithdrawn	{"amount": 1225.92, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "withdrawnAt": "2024-06-06T08:49:46.301Z", "withdrawalId": "bf099a49-a6e9-4987-a598-36fce0816945"}	{"userId": "user-anna", "causationId": "cmd-Withdraw-49277341a14f", "correlationId": "req-034372bbd1"}
24	69	2112	2026-12-01 05:17:01.12251+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	efb90c0f-2c8e-43f7-971b-c5a073916bb4	MoneyDeposited	{"amount": 144.37, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "depositId": "d5fccb7f-cc77-496f-ac5f-093f3b36d213", "depositedAt": "2024-06-06T09:17:36.354Z"}	{"userId": "user-anna", "causationId": "cmd-Deposit-0a1b1dcce336", "correlationId": "req-eef92df25b"}
8	70	2113	2026-12-01 05:17:01.123183+00	f	E	bank_account-37c625e8-2484-4427-ab54-ebe54d4bfd3e	emt:default	1	facebf2c-5936-4c47-aa26-a0fb5013e4a5	MoneyWithdrawn	{"amount": 391.79, "accountId": "37c625e8-2484-4427-ab54-ebe54d4bfd3e", "withdrawnAt": "2024-06-06T10:19:23.516Z", "withdrawalId": "f0c2f41f-6ace-4cd1-9b0a-4a9babb73d20"}	{"userId": "user-oliver", "causationId": "cmd-Withdraw-d93f68f84790", "correlationId": "req-9248887c6f"}
11	71	2114	2026-12-01 05:17:01.124009+00	f	E	bank_account-02b9399e-4366-4a1c-a657-8d675e207886	emt:default	1	4bd0d21f-f045-42b7-8e25-74d4bca18f99	MoneyWithdrawn	{"amount": 1887.34, "accountId": "02b9399e-4366-4a1c-a657-8d675e207886", "withdrawnAt": "2024-06-06T10:58:01.539Z", "withdrawalId": "b344b3d5-aeb3-4371-84cc-5e4bcd71ce39"}	{"userId": "user-zofia", "causationId": "cmd-CloseAccount-c444f4328c2e", "correlationId": "req-8219f502f4"}
12	72	2114	2026-12-01 05:17:01.124009+00	f	E	bank_account-02b9399e-4366-4a1c-a657-8d675e207886	emt:default	1	514ad00b-9dbc-41a3-abd2-8530250437bd	AccountClosed	{"reason": "Customer request", "closedAt": "2024-06-06T11:08:33.795Z", "accountId": "02b9399e-4366-4a1c-a657-8d675e207886"}	{"userId": "user-zofia", "causationId": "cmd-CloseAccount-6b00e9740dba", "correlationId": "req-8219f502f4"}
25	73	2115	2026-12-01 05:17:01.124822+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	7483fe89-d6a0-466a-8b8c-445729d94818	MoneyWithdrawn	{"amount": 699.38, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "withdrawnAt": "2024-06-06T13:02:36.176Z", "withdrawalId": "eb95bb58-812f-4405-8969-e4023da4a87e"}	{"userId": "user-anna", "causationId": "cmd-Withdraw-0cc3b25d43c5", "correlationId": "req-bc56307e86"}
15	74	2116	2026-12-01 05:17:01.125565+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	8c32dc21-aa29-4d05-867d-f42631fea3f5	MoneyDeposited	{"amount": 641.92, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "depositId": "9b8e9bf9-afb3-4c91-819f-c5f5a1e4d5b4", "depositedAt": "2024-06-06T13:54:39.122Z"}	{"userId": "user-joerg", "causationId": "cmd-Deposit-6f3808963c06", "correlationId": "req-9aa3ef273e"}
16	75	2117	2026-12-01 05:17:01.126642+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	6504550b-4c6a-4203-9015-11d7267993d1	MoneyDeposited	{"amount": 6.91, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "depositId": "88f62f00-4aa1-442d-881a-ad081c827c00", "depositedAt": "2024-06-06T14:06:14.779Z"}	{"userId": "user-joerg", "causationId": "cmd-Deposit-51497bd406e1", "correlationId": "req-23182ef288"}
1	76	2118	2026-12-01 05:17:01.127765+00	f	E	transfer-8553bb10-d8b0-42bc-84f2-217012b6abb4	emt:default	1	8fe7a63d-61b7-470d-bd90-0b8563ce36a6	TransferInitiated	{"amount": 282.12, "transferId": "8553bb10-d8b0-42bc-84f2-217012b6abb4", "initiatedAt": "2024-06-06T14:21:51.200Z", "toAccountId": "7716f5aa-4657-4295-8011-008e78ed3652", "fromAccountId": "8e80b59f-3c95-4cd2-8cfb-9c26ceb4f831"}	{"userId": "user-chloe", "causationId": "cmd-TransferMoney-4cc848be56ae", "correlationId": "transfer-8553bb10-d8b0-42bc-84f2-217012b6abb4"}
5	77	2119	2026-12-01 05:17:01.128831+00	f	E	bank_account-8e80b59f-3c95-4cd2-8cfb-9c26ceb4f831	emt:default	1	ca41c7f3-33d7-46f7-919b-dd3b81da46e4	MoneyWithdrawn	{"amount": 282.12, "accountId": "8e80b59f-3c95-4cd2-8cfb-9c26ceb4f831", "withdrawnAt": "2024-06-06T14:24:29.895Z", "withdrawalId": "8553bb10-d8b0-42bc-84f2-217012b6abb4"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-b6449aa1b135", "correlationId": "transfer-8553bb10-d8b0-42bc-84f2-217012b6abb4"}
26	78	2120	2026-12-01 05:17:01.129867+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	487be148-5e3e-4448-b136-856f5e5bfb0c	MoneyDeposited	{"amount": 282.12, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "depositId": "8553bb10-d8b0-42bc-84f2-217012b6abb4", "depositedAt": "2024-06-06T14:44:46.478Z"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-2ed2d56b30da", "correlationId": "transfer-8553bb10-d8b0-42bc-84f2-217012b6abb4"}
2	79	2121	2026-12-01 05:17:01.136038+00	f	E	transfer-8553bb10-d8b0-42bc-84f2-217012b6abb4	emt:default	1	878b2ee5-6923-4b7f-9b33-f02cb20ab66e	TransferCompleted	{"transferId": "8553bb10-d8b0-42bc-84f2-217012b6abb4", "completedAt": "2024-06-06T15:57:27.637Z"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-921cb44545f8", "correlationId": "transfer-8553bb10-d8b0-42bc-84f2-217012b6abb4"}
6	80	2122	2026-12-01 05:17:01.13879+00	f	E	bank_account-8e80b59f-3c95-4cd2-8cfb-9c26ceb4f831	emt:default	1	628aef8e-a8dd-42d9-9751-2450a42c7e7f	MoneyDeposited	{"amount": 14.08, "accountId": "8e80b59f-3c95-4cd2-8cfb-9c26ceb4f831", "depositId": "ea8f7e86-29e9-441c-9b92-2b3673b524c9", "depositedAt": "2024-06-06T17:41:59.201Z"}	{"userId": "user-chloe", "causationId": "cmd-Deposit-d6e2b2b6100c", "correlationId": "req-def7f5deab"}
9	81	2123	2026-12-01 05:17:01.144614+00	f	E	bank_account-37c625e8-2484-4427-ab54-ebe54d4bfd3e	emt:default	1	2fe0b32c-5fd1-415e-8a46-a29ef8af54b5	MoneyWithdrawn	{"amount": 346.47, "accountId": "37c625e8-2484-4427-ab54-ebe54d4bfd3e", "withdrawnAt": "2024-06-06T18:29:53.732Z", "withdrawalId": "0bcda87b-8fb1-4772-9205-ecd34440fa67"}	{"userId": "user-oliver", "causationId": "cmd-Withdraw-ebd2888ff04f", "correlationId": "req-72a4366138"}
17	82	2124	2026-12-01 05:17:01.146428+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	84e8c4aa-38e4-4e02-9425-eccc8f0b1b36	MoneyWithdrawn	{"amount": 189.27, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "withdrawnAt": "2024-06-06T20:07:28.636Z", "withdrawalId": "0df863a0-7961-4360-b887-af0aa63ce00b"}	{"userId": "user-joerg", "causationId": "cmd-Withdraw-c72f9123a8dd", "correlationId": "req-45a9290fc2"}
18	83	2125	2026-12-01 05:17:01.148157+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	82180206-55ad-4401-8936-e9f4a6920214	MoneyDeposited	{"amount": 36.73, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "depositId": "44e00ae2-80a7-428c-87c8-885bd7177bda", "depositedAt": "2024-06-06T21:17:42.700Z"}	{"userId": "user-joerg", "causationId": "cmd-Deposit-21f3dc241fc7", "correlationId": "req-ddcdb3d2fe"}
27	84	2126	2026-12-01 05:17:01.152777+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	01b2adf0-8071-4e33-a2de-c520f9d121ff	MoneyWithdrawn	{"amount": 116.17, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "withdrawnAt": "2024-06-06T23:12:56.992Z", "withdrawalId": "4708d544-4a69-4f35-a110-b765f95cf536"}	{"userId": "user-anna", "causationId": "cmd-Withdraw-eea38672e52c", "correlationId": "req-ff0dd224ae"}
10	85	2127	2026-12-01 05:17:01.154266+00	f	E	bank_account-37c625e8-2484-4427-ab54-ebe54d4bfd3e	emt:default	1	4b5c264f-c0e1-4f69-9cc9-f4aa530369b3	MoneyWithdrawn	{"amount": 68.46, "accountId": "37c625e8-2484-4427-ab54-ebe54d4bfd3e", "withdrawnAt": "2024-06-06T23:25:21.736Z", "withdrawalId": "4cd0a708-dc90-415b-a42b-4aafa4d360cf"}	{"userId": "user-oliver", "causationId": "cmd-Withdraw-5883909c7eb9", "correlationId": "req-0cd01ace7e"}
11	86	2128	2026-12-01 05:17:01.155527+00	f	E	bank_account-37c625e8-2484-4427-ab54-ebe54d4bfd3e	emt:default	1	cf46bdf8-eca8-4dea-b292-adba421b1702	MoneyWithdrawn	{"amount": 235.97, "accountId": "37c625e8-2484-4427-ab54-ebe54d4bfd3e", "withdrawnAt": "2024-06-06T23:40:52.489Z", "withdrawalId": "48aa1232-e2ea-4c2b-9276-14091709e7fa"}	{"userId": "user-oliver", "causationId": "cmd-Withdraw-3feac62e2db2", "correlationId": "req-12c2022848"}
19	87	2129	2026-12-01 05:17:01.156734+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	51f742ad-bc81-42ad-8ef1-c84d95f3afca	MoneyDeposited	{"amount": 173.47, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "depositId": "b9595b43-c0a4-40e4-85a2-faf55169d64c", "depositedAt": "2024-06-07T01:12:53.130Z"}	{"userId": "user-joerg", "causationId": "cmd-Deposit-6ce716341f01", "correlationId": "req-b571b882ab"}
1	88	2130	2026-12-01 05:17:01.15789+00	f	E	transfer-608ed3d8-2b95-419c-b817-900055306652	emt:default	1	d370a186-73b0-4110-b50a-0c6d399bce26	TransferInitiated	{"amount": 114.93, "transferId": "608ed3d8-2b95-419c-b817-900055306652", "initiatedAt": "2024-06-07T01:52:45.048Z", "toAccountId": "7716f5aa-4657-4295-8011-008e78ed3652", "fromAccountId": "37c625e8-2484-4427-ab54-ebe54d4bfd3e"}	{"userId": "user-oliver", "causationId": "cmd-TransferMoney-adb3f03eba8f", "correlationId": "transfer-608ed3d8-2b95-419c-b817-900055306652"}
12	89	2131	2026-12-01 05:17:01.159047+00	f	E	bank_account-37c625e8-2484-4427-ab54-ebe54d4bfd3e	emt:default	1	876433d1-98a2-43ae-bd6e-4de4e038fdd8	MoneyWithdrawn	{"amount": 114.93, "accountId": "37c625e8-2484-4427-ab54-ebe54d4bfd3e", "withdrawnAt": "2024-06-07T03:23:56.631Z", "withdrawalId": "608ed3d8-2b95-419c-b817-900055306652"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-a75012c27164", "correlationId": "transfer-608ed3d8-2b95-419c-b817-900055306652"}
28	90	2132	2026-12-01 05:17:01.164632+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	2c1b60bd-6b24-4370-8275-547d08e6b021	MoneyDeposited	{"amount": 114.93, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "depositId": "608ed3d8-2b95-419c-b817-900055306652", "depositedAt": "2024-06-07T03:39:23.037Z"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-0f601a455bf5", "correlationId": "transfer-608ed3d8-2b95-419c-b817-900055306652"}
2	91	2133	2026-12-01 05:17:01.165528+00	f	E	transfer-608ed3d8-2b95-419c-b817-900055306652	emt:default	1	40a55a1d-af8b-4306-bf2e-8a8281cdbbb7	TransferCompleted	{"transferId": "608ed3d8-2b95-419c-b817-900055306652", "completedAt": "2024-06-07T05:08:18.782Z"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-daaf5d3a027a", "correlationId": "transfer-608ed3d8-2b95-419c-b817-900055306652"}
29	92	2134	2026-12-01 05:17:01.166257+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	65eecb18-0692-4d9c-bd77-dcb522e5159d	MoneyWithdrawn	{"amount": 43.47, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "withdrawnAt": "2024-06-07T05:39:13.014Z", "withdrawalId": "4f8f9112-a4a3-4540-9636-074e2d8be5b9"}	{"userId": "user-anna", "causationId": "cmd-Withdraw-668ddcb0b0fa", "correlationId": "req-1f3ad6fa02"}
20	93	2135	2026-12-01 05:17:01.166982+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	487826c3-030e-4d8f-951a-49c986e0ce51	MoneyDeposited	{"amount": 848, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "depositId": "92213605-7d6d-443a-9f08-6057d993fe8c", "depositedAt": "2024-06-07T06:54:16.888Z"}	{"userId": "user-joerg", "causationId": "cmd-Deposit-910c6dc4820e", "correlationId": "req-d4c5ed91aa"}
13	94	2136	2026-12-01 05:17:01.167702+00	f	E	bank_account-37c625e8-2484-4427-ab54-ebe54d4bfd3e	emt:default	1	a32bab10-825e-4748-a231-c0e1205a5bfe	MoneyDeposited	{"amount": 624.08, "accountId": "37c625e8-2484-4427-ab54-ebe54d4bfd3e", "depositId": "221cc1c7-ae15-47aa-a4ef-4611fcd36a05", "depositedAt": "2024-06-07T07:44:18.559Z"}	{"userId": "user-oliver", "causationId": "cmd-Deposit-f6cbb0b9d377", "correlationId": "req-a064ae6313"}
30	95	2137	2026-12-01 05:17:01.168498+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	4c9b2f31-213b-461a-b7f9-18207c9cc345	MoneyWithdrawn	{"amount": 47.28, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "withdrawnAt": "2024-06-07T08:27:05.867Z", "withdrawalId": "573a94ef-27f8-4092-bb19-d49ebcfe0e75"}	{"userId": "user-anna", "causationId": "cmd-Withdraw-4f7a91aef3e4", "correlationId": "req-6aa5f3fa29"}
31	96	2138	2026-12-01 05:17:01.16922+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	489a4d5e-0a11-4751-a129-a017287577c2	MoneyWithdrawn	{"amount": 229.07, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "withdrawnAt": "2024-06-07T09:47:54.336Z", "withdrawalId": "0173b9c5-9913-4541-8e55-433199426d0b"}	{"userId": "user-anna", "causationId": "cmd-Withdraw-ecdcd9b4aaa3", "correlationId": "req-22830db69d"}
21	97	2139	2026-12-01 05:17:01.169897+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	0556ed67-25b3-44a9-9865-8955deaaaf4b	MoneyWithdrawn	{"amount": 251.36, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "withdrawnAt": "2024-06-07T11:39:39.055Z", "withdrawalId": "5c31e199-4092-4b72-83d2-64d599879b85"}	{"userId": "user-joerg", "causationId": "cmd-Withdraw-e0947505b0a4", "correlationId": "req-365b2e759a"}
7	98	2140	2026-12-01 05:17:01.170637+00	f	E	bank_account-8e80b59f-3c95-4cd2-8cfb-9c26ceb4f831	emt:default	1	c05825be-5247-4273-9376-54dfeac03ad4	MoneyDeposited	{"amount": 318.75, "accountId": "8e80b59f-3c95-4cd2-8cfb-9c26ceb4f831", "depositId": "42291488-8b0a-4735-9841-a2ca500e89fe", "depositedAt": "2024-06-07T13:06:20.063Z"}	{"userId": "user-chloe", "causationId": "cmd-Deposit-001dcde8eae9", "correlationId": "req-ac7b81d478"}
22	99	2141	2026-12-01 05:17:01.171362+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	0c98b33b-f3fb-4485-a8dc-8f24fab5193c	MoneyWithdrawn	{"amount": 776.93, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "withdrawnAt": "2024-06-07T14:01:34.889Z", "withdrawalId": "0bd7b6bb-9f55-4f6f-8620-15931ff7cc89"}	{"userId": "user-joerg", "causationId": "cmd-Withdraw-40c4cfad6a45", "correlationId": "req-167cec13de"}
1	100	2142	2026-12-01 05:17:01.172063+00	f	E	transfer-5f6a1a88-687f-4e96-8b87-3fa4c996357c	emt:default	1	126269dd-f8ab-4d6b-ab3a-d3785edb0f85	TransferInitiated	{"amount": 184.82, "transferId": "5f6a1a88-687f-4e96-8b87-3fa4c996357c", "initiatedAt": "2024-06-07T15:31:01.542Z", "toAccountId": "7716f5aa-4657-4295-8011-008e78ed3652", "fromAccountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998"}	{"userId": "user-joerg", "causationId": "cmd-TransferMoney-83133f88444b", "correlationId": "transfer-5f6a1a88-687f-4e96-8b87-3fa4c996357c"}
23	101	2143	2026-12-01 05:17:01.172792+00	f	E	bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	emt:default	1	9ddf976c-d220-4fe8-b101-93335778c546	MoneyWithdrawn	{"amount": 184.82, "accountId": "1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998", "withdrawnAt": "2024-06-07T17:28:52.065Z", "withdrawalId": "5f6a1a88-687f-4e96-8b87-3fa4c996357c"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-7826f17cd1d0", "correlationId": "transfer-5f6a1a88-687f-4e96-8b87-3fa4c996357c"}
32	102	2144	2026-12-01 05:17:01.173514+00	f	E	bank_account-7716f5aa-4657-4295-8011-008e78ed3652	emt:default	1	6fcb891f-ab15-4de1-81f4-a670d4675e23	MoneyDeposited	{"amount": 184.82, "accountId": "7716f5aa-4657-4295-8011-008e78ed3652", "depositId": "5f6a1a88-687f-4e96-8b87-3fa4c996357c", "depositedAt": "2024-06-07T17:45:16.598Z"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-2a4d0ac86c5c", "correlationId": "transfer-5f6a1a88-687f-4e96-8b87-3fa4c996357c"}
2	103	2145	2026-12-01 05:17:01.1743+00	f	E	transfer-5f6a1a88-687f-4e96-8b87-3fa4c996357c	emt:default	1	bf217904-9b8a-44ee-8c02-36f75032fb81	TransferCompleted	{"transferId": "5f6a1a88-687f-4e96-8b87-3fa4c996357c", "completedAt": "2024-06-07T17:53:28.578Z"}	{"userId": "system:transfers", "causationId": "cmd-TransferMoney-fe804b8ea9b0", "correlationId": "transfer-5f6a1a88-687f-4e96-8b87-3fa4c996357c"}
14	104	2146	2026-12-01 05:17:01.175341+00	f	E	bank_account-37c625e8-2484-4427-ab54-ebe54d4bfd3e	emt:default	1	137212bf-2539-4526-82b4-00c1ce46042f	MoneyWithdrawn	{"amount": 102, "accountId": "37c625e8-2484-4427-ab54-ebe54d4bfd3e", "withdrawnAt": "2024-06-07T18:20:33.741Z", "withdrawalId": "8835a5e8-4fd0-4451-a0a7-890839e28ec1"}	{"userId": "user-oliver", "causationId": "cmd-Withdraw-8caf41c04681", "correlationId": "req-32324c8040"}
15	105	2147	2026-12-01 05:17:01.181351+00	f	E	bank_account-37c625e8-2484-4427-ab54-ebe54d4bfd3e	emt:default	1	3c313a25-5ee6-407c-9981-4d6c448b20fa	MoneyWithdrawn	{"amount": 203.68, "accountId": "37c625e8-2484-4427-ab54-ebe54d4bfd3e", "withdrawnAt": "2024-06-07T19:53:29.237Z", "withdrawalId": "15bcc6b3-723c-46da-8b6c-dcb967989750"}	{"userId": "user-oliver", "causationId": "cmd-Withdraw-2260d81d1ada", "correlationId": "req-07f6fb6c0b"}
\.


--
-- Data for Name: emt_messages_emt_default_archived; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.emt_messages_emt_default_archived (stream_position, global_position, transaction_id, created, is_archived, message_kind, stream_id, partition, message_schema_version, message_id, message_type, message_data, message_metadata) FROM stdin;
\.


--
-- Data for Name: emt_processors_emt_default; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.emt_processors_emt_default (last_processed_transaction_id, version, processor_id, partition, status, last_processed_checkpoint, processor_instance_id, created_at, last_updated) FROM stdin;
\.


--
-- Data for Name: emt_projections_emt_default; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.emt_projections_emt_default (version, type, name, partition, kind, status, definition, created_at, last_updated) FROM stdin;
\.


--
-- Data for Name: emt_streams_emt_default_active; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.emt_streams_emt_default_active (stream_id, stream_position, partition, stream_type, stream_metadata, is_archived) FROM stdin;
bank_account-02b9399e-4366-4a1c-a657-8d675e207886	12	emt:default	bank_account	{}	f
bank_account-1bd37fbd-1ac6-47d6-b7f8-ee9e896f9998	23	emt:default	bank_account	{}	f
bank_account-37c625e8-2484-4427-ab54-ebe54d4bfd3e	15	emt:default	bank_account	{}	f
bank_account-7716f5aa-4657-4295-8011-008e78ed3652	32	emt:default	bank_account	{}	f
bank_account-8e80b59f-3c95-4cd2-8cfb-9c26ceb4f831	7	emt:default	bank_account	{}	f
transfer-16a0aa00-2bf8-43aa-8f7c-8809294fc0e3	2	emt:default	transfer	{}	f
transfer-25fa1396-e53c-4d64-84ed-a06f8b58840a	2	emt:default	transfer	{}	f
transfer-5f6a1a88-687f-4e96-8b87-3fa4c996357c	2	emt:default	transfer	{}	f
transfer-608ed3d8-2b95-419c-b817-900055306652	2	emt:default	transfer	{}	f
transfer-70facb70-3c79-481d-a00a-998001fdf1b2	2	emt:default	transfer	{}	f
transfer-8553bb10-d8b0-42bc-84f2-217012b6abb4	2	emt:default	transfer	{}	f
transfer-b24154cc-c414-421f-a832-4384aa3e563e	2	emt:default	transfer	{}	f
transfer-eb068dfe-c057-4de0-822a-bc5da4d0bf03	2	emt:default	transfer	{}	f
\.


--
-- Data for Name: emt_streams_emt_default_archived; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.emt_streams_emt_default_archived (stream_id, stream_position, partition, stream_type, stream_metadata, is_archived) FROM stdin;
\.


--
-- Name: dmb_migrations_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.dmb_migrations_id_seq', 4, true);


--
-- Name: emt_global_message_position; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.emt_global_message_position', 105, true);


--
-- Name: dmb_migrations dmb_migrations_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.dmb_migrations
    ADD CONSTRAINT dmb_migrations_name_key UNIQUE (name);


--
-- Name: dmb_migrations dmb_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.dmb_migrations
    ADD CONSTRAINT dmb_migrations_pkey PRIMARY KEY (id);


--
-- Name: emt_messages emt_messages_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_messages
    ADD CONSTRAINT emt_messages_pkey PRIMARY KEY (stream_id, stream_position, partition, is_archived);


--
-- Name: emt_messages_emt_default emt_messages_emt_default_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_messages_emt_default
    ADD CONSTRAINT emt_messages_emt_default_pkey PRIMARY KEY (stream_id, stream_position, partition, is_archived);


--
-- Name: emt_messages_emt_default_active emt_messages_emt_default_active_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_messages_emt_default_active
    ADD CONSTRAINT emt_messages_emt_default_active_pkey PRIMARY KEY (stream_id, stream_position, partition, is_archived);


--
-- Name: emt_messages_emt_default_archived emt_messages_emt_default_archived_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_messages_emt_default_archived
    ADD CONSTRAINT emt_messages_emt_default_archived_pkey PRIMARY KEY (stream_id, stream_position, partition, is_archived);


--
-- Name: emt_processors emt_processors_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_processors
    ADD CONSTRAINT emt_processors_pkey PRIMARY KEY (processor_id, partition, version);


--
-- Name: emt_processors_emt_default emt_processors_emt_default_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_processors_emt_default
    ADD CONSTRAINT emt_processors_emt_default_pkey PRIMARY KEY (processor_id, partition, version);


--
-- Name: emt_projections emt_projections_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_projections
    ADD CONSTRAINT emt_projections_pkey PRIMARY KEY (name, partition, version);


--
-- Name: emt_projections_emt_default emt_projections_emt_default_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_projections_emt_default
    ADD CONSTRAINT emt_projections_emt_default_pkey PRIMARY KEY (name, partition, version);


--
-- Name: emt_streams emt_streams_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_streams
    ADD CONSTRAINT emt_streams_pkey PRIMARY KEY (stream_id, partition, is_archived);


--
-- Name: emt_streams_emt_default emt_streams_emt_default_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_streams_emt_default
    ADD CONSTRAINT emt_streams_emt_default_pkey PRIMARY KEY (stream_id, partition, is_archived);


--
-- Name: emt_streams_emt_default_active emt_streams_emt_default_active_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_streams_emt_default_active
    ADD CONSTRAINT emt_streams_emt_default_active_pkey PRIMARY KEY (stream_id, partition, is_archived);


--
-- Name: emt_streams_emt_default_archived emt_streams_emt_default_archived_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.emt_streams_emt_default_archived
    ADD CONSTRAINT emt_streams_emt_default_archived_pkey PRIMARY KEY (stream_id, partition, is_archived);


--
-- Name: idx_streams_unique; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX idx_streams_unique ON ONLY public.emt_streams USING btree (stream_id, partition, is_archived) INCLUDE (stream_position);


--
-- Name: emt_streams_emt_default_stream_id_partition_is_archived_str_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX emt_streams_emt_default_stream_id_partition_is_archived_str_idx ON ONLY public.emt_streams_emt_default USING btree (stream_id, partition, is_archived) INCLUDE (stream_position);


--
-- Name: emt_streams_emt_default_activ_stream_id_partition_is_archiv_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX emt_streams_emt_default_activ_stream_id_partition_is_archiv_idx ON public.emt_streams_emt_default_active USING btree (stream_id, partition, is_archived) INCLUDE (stream_position);


--
-- Name: emt_streams_emt_default_archi_stream_id_partition_is_archiv_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX emt_streams_emt_default_archi_stream_id_partition_is_archiv_idx ON public.emt_streams_emt_default_archived USING btree (stream_id, partition, is_archived) INCLUDE (stream_position);


--
-- Name: emt_messages_emt_default_active_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.emt_messages_emt_default_pkey ATTACH PARTITION public.emt_messages_emt_default_active_pkey;


--
-- Name: emt_messages_emt_default_archived_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.emt_messages_emt_default_pkey ATTACH PARTITION public.emt_messages_emt_default_archived_pkey;


--
-- Name: emt_messages_emt_default_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.emt_messages_pkey ATTACH PARTITION public.emt_messages_emt_default_pkey;


--
-- Name: emt_processors_emt_default_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.emt_processors_pkey ATTACH PARTITION public.emt_processors_emt_default_pkey;


--
-- Name: emt_projections_emt_default_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.emt_projections_pkey ATTACH PARTITION public.emt_projections_emt_default_pkey;


--
-- Name: emt_streams_emt_default_activ_stream_id_partition_is_archiv_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.emt_streams_emt_default_stream_id_partition_is_archived_str_idx ATTACH PARTITION public.emt_streams_emt_default_activ_stream_id_partition_is_archiv_idx;


--
-- Name: emt_streams_emt_default_active_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.emt_streams_emt_default_pkey ATTACH PARTITION public.emt_streams_emt_default_active_pkey;


--
-- Name: emt_streams_emt_default_archi_stream_id_partition_is_archiv_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.emt_streams_emt_default_stream_id_partition_is_archived_str_idx ATTACH PARTITION public.emt_streams_emt_default_archi_stream_id_partition_is_archiv_idx;


--
-- Name: emt_streams_emt_default_archived_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.emt_streams_emt_default_pkey ATTACH PARTITION public.emt_streams_emt_default_archived_pkey;


--
-- Name: emt_streams_emt_default_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.emt_streams_pkey ATTACH PARTITION public.emt_streams_emt_default_pkey;


--
-- Name: emt_streams_emt_default_stream_id_partition_is_archived_str_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.idx_streams_unique ATTACH PARTITION public.emt_streams_emt_default_stream_id_partition_is_archived_str_idx;


--
-- PostgreSQL database dump complete
--

\unrestrict eventscope

