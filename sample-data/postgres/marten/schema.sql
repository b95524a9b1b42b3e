-- Marten's event store schema, written out from Marten 8.37.2's own source (JasperFx/marten, tag V8.37.2) for
-- this configuration:
--
--   opts.Events.StreamIdentity = StreamIdentity.AsGuid;            // the default: stream_id uuid
--   opts.Events.TenancyStyle = TenancyStyle.Conjoined;             // two tenants in one store
--   opts.Events.AppendMode = EventAppendMode.QuickWithServerTimestamps;
--   opts.Events.MetadataConfig.CorrelationIdEnabled = true;
--   opts.Events.MetadataConfig.CausationIdEnabled = true;
--   opts.Events.MetadataConfig.HeadersEnabled = true;
--   opts.Events.DatabaseSchemaName = "public";                      // the default
--
-- Marten publishes no DDL file: it builds these objects at run time from its schema classes. Each statement
-- below is what those classes describe, column by column, in the layout Weasel (Marten's schema library)
-- writes its scripts in (as in the Marten-generated script quoted in JasperFx/marten issue #3904):
--
--   mt_streams              src/Marten/Events/Schema/StreamsTable.cs (tenant_id first in the primary key when
--                           conjoined, id, type, version, timestamp, snapshot, snapshot_version, created,
--                           is_archived)
--   mt_events               src/Marten/Events/Schema/EventsTable.cs (seq_id, id, stream_id, version, data, type,
--                           timestamp, tenant_id, mt_dotnet_type, correlation_id, causation_id, headers,
--                           is_archived; the conjoined foreign key and unique index on (tenant_id, stream_id,
--                           version)), with the column classes in src/Marten/Events/Schema/ and
--                           src/Marten/Storage/Metadata/ and src/Marten/Events/Archiving/IsArchivedColumn.cs
--   mt_events_sequence      src/Marten/Events/EventGraph.FeatureSchema.cs
--   mt_quick_append_events  src/Marten/Events/Schema/QuickAppendEventFunction.cs (no tag types, int versions)
--   mt_archive_stream       src/Marten/Events/Archiving/ArchiveStreamFunction.cs (writeSimple, conjoined)
--
-- mt_events.timestamp's default is written as Weasel writes DefaultValueByString("(now())"): the string
-- '(now())', which PostgreSQL turns into the time the table is created. Marten's appends always give the
-- timestamp, so the default is never used.

DROP TABLE IF EXISTS public.mt_streams CASCADE;
CREATE TABLE public.mt_streams (
    tenant_id           varchar        NOT NULL DEFAULT '*DEFAULT*',
    id                  uuid           NOT NULL,
    type                varchar        NULL,
    version             bigint         NULL,
    timestamp           timestamptz    NOT NULL DEFAULT (now()),
    snapshot            jsonb          NULL,
    snapshot_version    integer        NULL,
    created             timestamptz    NOT NULL DEFAULT (now()),
    is_archived         bool           NULL DEFAULT FALSE,
CONSTRAINT pkey_mt_streams_tenant_id_id PRIMARY KEY (tenant_id, id)
);
DROP TABLE IF EXISTS public.mt_events CASCADE;
CREATE TABLE public.mt_events (
    seq_id            bigint                      NOT NULL,
    id                uuid                        NOT NULL,
    stream_id         uuid                        NULL,
    version           bigint                      NOT NULL,
    data              jsonb                       NOT NULL,
    type              varchar(500)                NOT NULL,
    timestamp         timestamp with time zone    NOT NULL DEFAULT '(now())',
    tenant_id         varchar                     NULL DEFAULT '*DEFAULT*',
    mt_dotnet_type    varchar                     NULL,
    correlation_id    varchar                     NULL,
    causation_id      varchar                     NULL,
    headers           jsonb                       NULL,
    is_archived       bool                        NULL DEFAULT FALSE,
CONSTRAINT pkey_mt_events_seq_id PRIMARY KEY (seq_id)
);

ALTER TABLE public.mt_events
ADD CONSTRAINT fkey_mt_events_stream_id_tenant_id FOREIGN KEY(tenant_id, stream_id)
REFERENCES public.mt_streams(tenant_id, id)
;


CREATE UNIQUE INDEX pk_mt_events_stream_and_version ON public.mt_events USING btree (tenant_id, stream_id, version);
CREATE SEQUENCE public.mt_events_sequence;
ALTER SEQUENCE public.mt_events_sequence OWNED BY public.mt_events.seq_id;

CREATE OR REPLACE FUNCTION public.mt_quick_append_events(stream uuid, stream_type varchar, tenantid varchar, event_ids uuid[], event_types varchar[], dotnet_types varchar[], bodies jsonb[], causation_ids varchar[], correlation_ids varchar[], headers jsonb[], timestamps timestamptz[]) RETURNS int[] AS $$
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
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION public.mt_archive_stream(streamid uuid, tenantid varchar) RETURNS VOID LANGUAGE plpgsql AS
$function$
BEGIN
  update public.mt_streams set is_archived = TRUE where id = streamid  and tenant_id = tenantid;
  update public.mt_events set is_archived = TRUE where stream_id = streamid  and tenant_id = tenantid;
END;
$function$;
