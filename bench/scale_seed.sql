-- Scale data for the benchmark, written straight into a database that
-- `casus init --demo` created (so the schema is the project's migrations
-- and the demo accounts can log in). Parameters come from bench_params:
-- cases, events_per_case. Every row is consistent with what CaseService
-- writes: IAWW cases under the registered definition version, in real
-- states and levels, with their subject person, the municipality's
-- gemeente on the team, the timeline events, and the agendering deadline
-- (due in the future, so the server's start-up deadline tick finds
-- nothing to fire) for cases not yet geagendeerd.
PRAGMA synchronous = OFF;
PRAGMA cache_size = -262144;
BEGIN;

CREATE TEMP TABLE munis (k INTEGER PRIMARY KEY, name TEXT NOT NULL, org_id TEXT);
INSERT INTO munis (k, name) VALUES (0, 'Kerkrade'), (1, 'Heerlen'), (2, 'Landgraaf'), (3, 'Brunssum'),
                                   (4, 'Simpelveld'), (5, 'Voerendaal'), (6, 'Beekdaelen');
INSERT OR IGNORE INTO organisations (id, name, type, municipality)
  SELECT 'org_bench_' || lower(name), 'Gemeente ' || name, 'gemeente', name FROM munis;
UPDATE munis SET org_id = (SELECT id FROM organisations o WHERE o.name = 'Gemeente ' || munis.name);

CREATE TEMP TABLE states (k INTEGER PRIMARY KEY, state TEXT NOT NULL, level TEXT NOT NULL, history TEXT NOT NULL);
INSERT INTO states VALUES
  (0, 'aangemeld', 'eigen_oplossing', '[]'),
  (1, 'verrijking', 'eigen_oplossing', '["verrijking_starten"]'),
  (2, 'geagendeerd', 'eigen_oplossing', '["verrijking_starten","agenderen"]'),
  (3, 'plan_van_aanpak', 'eigen_oplossing', '["verrijking_starten","agenderen","plan_vaststellen"]'),
  (4, 'uitvoering', 'bemiddeling', '["verrijking_starten","agenderen","plan_vaststellen","uitvoering_starten","bemiddeling_inzetten"]'),
  (5, 'monitoring', 'interventies', '["verrijking_starten","agenderen","plan_vaststellen","uitvoering_starten","interventie_inzetten","monitoring_starten"]'),
  (6, 'afgesloten', 'eigen_oplossing', '["afsluiten_zonder_vervolg"]');

CREATE TEMP TABLE seq (i INTEGER PRIMARY KEY);
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < (SELECT cases FROM bench_params))
INSERT INTO seq SELECT i FROM n;

-- Two cases per person.
INSERT INTO persons (id, name, birth_date, bsn, created_at)
  SELECT printf('person_b%07d', i), 'Bench Persoon ' || i, printf('19%02d-%02d-%02d', 40 + i % 60, 1 + i % 12, 1 + i % 28),
         NULL, 1700000000 + i
  FROM seq WHERE i < (SELECT (cases + 1) / 2 FROM bench_params);

INSERT INTO cases (id, type, definition_version, state, level, version, municipality, confidentiality,
                   subject_person_id, report_id, received_at, created_at, updated_at, history_json, data_json)
  SELECT printf('case_b%07d', i), 'iaww', (SELECT max(version) FROM workflow_definitions WHERE type = 'iaww'),
         s.state, s.level, (SELECT events_per_case FROM bench_params), m.name, 1,
         printf('person_b%07d', i / 2), NULL, 1700000000 + i, 1700000000 + i, 1700000000 + i + 3600, s.history,
         '{"categorie":"woonoverlast","melder_type":"burger","omschrijving":"geluidsoverlast","wijk":"Bleijerheide"}'
  FROM seq JOIN munis m ON m.k = seq.i % 7 JOIN states s ON s.k = (seq.i / 7) % 7;

INSERT INTO case_team (case_id, org_id, user_id, role, added_at)
  SELECT printf('case_b%07d', i), m.org_id, '', 'lid', 1700000000 + i FROM seq JOIN munis m ON m.k = seq.i % 7;

INSERT INTO case_deadlines (case_id, position, deadline_id, started_at, due_at, cleared_at)
  SELECT printf('case_b%07d', i), 0, 'agendering', 1700000000 + i,
         CAST(strftime('%s', 'now') AS INTEGER) + 30 * 86400 + (i % 365) * 86400, NULL
  FROM seq WHERE (i / 7) % 7 IN (0, 1);

INSERT INTO case_events (case_id, type, at, actor_user_id, payload_json)
  SELECT printf('case_b%07d', seq.i), CASE WHEN e.i = 0 THEN 'case.created' ELSE 'case.transitioned' END,
         1700000000 + seq.i + e.i * 60, 'u_bench',
         CASE WHEN e.i = 0 THEN '{"state":"aangemeld","level":"eigen_oplossing"}'
              ELSE '{"transition":"partnerinformatie_toevoegen","from":"verrijking","to":"verrijking"}' END
  FROM seq JOIN seq e ON e.i < (SELECT events_per_case FROM bench_params)
;

COMMIT;
DROP TABLE bench_params;
PRAGMA wal_checkpoint(TRUNCATE);
