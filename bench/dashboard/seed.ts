/**
 * The dashboard bench's data: organizations with providers, patients and two years of
 * consultations, made by PostgreSQL itself (insert ... select generate_series), so 120,000
 * consultations take seconds. Deterministic: the same settings give the same rows (ids aside).
 *
 * Double booking: the exclusion constraints cover live consultations (Pending, InProgress), per
 * provider and per patient. Each provider's consultations sit in distinct hourly slots of the
 * working day (07:00-19:00 local) and never run past their hour, and the patients of the last
 * `patients` consultations (which hold every live one: they are the latest) are all different.
 */
import type postgres from "postgres";

const FIRST_NAMES = [
  "María", "José", "Juan", "Ana", "Luis", "Carlos", "Laura", "Andrés", "Sofía", "Valentina", "Camila", "Daniel",
  "Alejandro", "Isabella", "Mariana", "Santiago", "Sebastián", "Gabriela", "Natalia", "Diego", "Paula", "Felipe",
  "Jorge", "Lucía", "Manuel", "Carolina", "Ricardo", "Fernanda", "Óscar", "Ángela", "Álvaro", "Martín", "Julián",
  "Daniela", "Catalina", "Esteban", "Juliana", "Mateo", "Adriana", "Héctor", "Patricia", "Rosa", "Pedro", "Claudia",
  "Miguel", "Sara", "Tomás", "Elena", "Ximena", "Iván", "Úrsula", "Emilio", "Lorena", "Hernán", "Beatriz", "Nicolás",
];
const SURNAMES = [
  "García", "Rodríguez", "Martínez", "López", "González", "Hernández", "Pérez", "Sánchez", "Ramírez", "Torres",
  "Flores", "Rivera", "Gómez", "Díaz", "Moreno", "Muñoz", "Rojas", "Vargas", "Castro", "Ortiz", "Jiménez", "Ruiz",
  "Álvarez", "Romero", "Suárez", "Mendoza", "Herrera", "Medina", "Aguilar", "Castillo", "Guerrero", "Cárdenas",
  "Restrepo", "Ospina", "Quintero", "Salazar", "Valencia", "Zapata", "Giraldo", "Arango", "Echeverri", "Londoño",
  "Ochoa", "Peña", "Acosta", "Benítez", "Cruz", "Duarte", "Escobar", "Franco", "Ibáñez", "Núñez", "Orozco", "Úsuga",
];
const PROFESSIONAL_TYPES = ["MedicoGeneral", "MedicoGeneral", "MedicoEspecialista", "Psicologo", "Nutricionista", "Fisioterapeuta", "Enfermero", "Odontologo"];
/** Weighted: general consultations and follow-ups are the bulk. */
const CONSULTATION_TYPES = [
  "ConsultaGeneral", "ConsultaGeneral", "ConsultaGeneral", "ConsultaControl", "ConsultaControl", "ConsultaSeguimiento",
  "ConsultaPrimeraVez", "ConsultaEspecialista", "ConsultaPsicologia", "ConsultaNutricion", "ConsultaUrgencias",
];
/** Weighted, from the allowed list (10-60 minutes). */
const DURATIONS = [20, 20, 30, 30, 30, 15, 15, 45, 60, 10, 25, 40, 50, 35];

/** Working hours a day, each an hourly slot: 07:00 to 19:00 local. */
const SLOTS_PER_DAY = 12;
const FIRST_HOUR = 7;

export type SeededOrganization = { organizationId: string; providers: number; patients: number; consultations: number };

/** `providers` providers, `patients` patients, and `consultations` consultations over `days` days ending `daysAhead` days from now. */
export async function seedOrganization(
  sql: postgres.Sql,
  organizationId: string,
  options: { providers: number; patients: number; consultations: number; days: number; daysAhead: number; timeZone: string; salt: number },
): Promise<void> {
  const { providers, patients, consultations, days, daysAhead, timeZone, salt } = options;
  const perProvider = Math.ceil(consultations / providers);
  // Distinct slots per provider: consecutive consultations of one provider are `spacing` slots apart
  // on average, with up to 2 slots of jitter, so the spacing must be at least 3.
  const spacing = (days * SLOTS_PER_DAY) / perProvider;
  if (spacing < 3) throw new Error(`${perProvider} consultations per provider do not fit ${days} days of ${SLOTS_PER_DAY} hourly slots`);
  if (consultations % providers !== 0 || patients % providers !== 0) throw new Error("consultations and patients must be multiples of providers");

  await sql`
    insert into providers (organization_id, name, document_type, document_number, professional_type, medical_specialty_id, phone, email, professional_license)
    select ${organizationId}, 'Dr. ' || (${FIRST_NAMES}::text[])[1 + abs(hashint4(i * 7 + ${salt})) % ${FIRST_NAMES.length}]
        || ' ' || (${SURNAMES}::text[])[1 + abs(hashint4(i * 11 + ${salt})) % ${SURNAMES.length}],
      'CC', (70000000 + i * 7919 + ${salt})::text, t.code,
      case when t.code = 'MedicoEspecialista' then (select id from medical_specialties order by code offset i % 14 limit 1) end,
      '+57310' || lpad(i::text, 7, '0'), 'provider' || i || '.' || ${salt} || '@clinic.example', 'RM-' || (100000 + i)
    from generate_series(0, ${providers - 1}) as i
    cross join lateral (select (${PROFESSIONAL_TYPES}::text[])[1 + i % ${PROFESSIONAL_TYPES.length}] as code) t`;

  // Document numbers: a bijection of i onto 10-digit numbers (2654435761 is prime), so no two collide.
  await sql`
    insert into patients (organization_id, name, document_type, document_number, phone, email)
    select ${organizationId},
      (${FIRST_NAMES}::text[])[1 + abs(hashint4(i * 3 + ${salt})) % ${FIRST_NAMES.length}]
        || case when abs(hashint4(i * 5 + ${salt})) % 10 < 3 then ' ' || (${FIRST_NAMES}::text[])[1 + abs(hashint4(i * 13 + ${salt})) % ${FIRST_NAMES.length}] else '' end
        || ' ' || (${SURNAMES}::text[])[1 + abs(hashint4(i * 17 + ${salt})) % ${SURNAMES.length}]
        || ' ' || (${SURNAMES}::text[])[1 + abs(hashint4(i * 19 + ${salt})) % ${SURNAMES.length}],
      d.type::document_type,
      case when d.type = 'PAS' then 'PA' || lpad(i::text, 7, '0') else (1000000000 + (i::bigint * 2654435761) % 9000000000)::text end,
      '+57300' || lpad(i::text, 7, '0'), 'patient' || i || '@mail.example'
    from generate_series(0, ${patients - 1}) as i
    cross join lateral (select case abs(hashint4(i * 23 + ${salt})) % 50 when 0 then 'RC' when 1 then 'PAS' when 2 then 'PAS' when 3 then 'CE' when 4 then 'CE' when 5 then 'CE'
      when 6 then 'TI' when 7 then 'TI' when 8 then 'TI' when 9 then 'TI' else 'CC' end as type) d`;

  // n-th consultation: provider n % providers, that provider's k-th (k = n / providers), in slot
  // floor(k * spacing) + jitter of its working calendar; patient (n * 7919 + n / patients) % patients,
  // a bijection on each run of `patients` consecutive n (7919 is prime).
  await sql`
    with ids as (
      select (select array_agg(id order by document_number) from providers where organization_id = ${organizationId}) as providers,
             (select array_agg(id order by document_type, document_number) from patients where organization_id = ${organizationId}) as patients
    ),
    slots as (
      select n, n % ${providers} as provider, floor((n / ${providers}) * ${spacing}::float8)::int + abs(hashint4(n + ${salt})) % 3 as slot,
        (${DURATIONS}::int[])[1 + abs(hashint4(n * 29 + ${salt})) % ${DURATIONS.length}] as duration,
        abs(hashint4(n * 31 + ${salt})) as h
      from generate_series(0, ${consultations - 1}) as n
    ),
    timed as (
      select s.*,
        ((current_date - ${days - daysAhead}::int + s.slot / ${SLOTS_PER_DAY})::timestamp
          + make_interval(hours => ${FIRST_HOUR} + s.slot % ${SLOTS_PER_DAY}, mins => case when s.duration <= 30 and s.h % 2 = 0 then 30 else 0 end))
          at time zone ${timeZone} as starts_at
      from slots s
    )
    insert into bench_seed_consultations (organization_id, provider_id, patient_id, consultation_type, status, immediate, starts_at, ends_at,
      duration_minutes, access_pin_sealed, started_at, completed_at, completion_reason, expired_at, created_at, updated_at)
    select ${organizationId}, ids.providers[1 + t.provider], ids.patients[1 + (t.n::bigint * 7919 + t.n / ${patients}) % ${patients}],
      (${CONSULTATION_TYPES}::text[])[1 + t.h % ${CONSULTATION_TYPES.length}],
      st.status::consultation_status, st.immediate, t.starts_at, t.starts_at + make_interval(mins => t.duration), t.duration,
      'v1.' || encode(sha256((t.n || '.' || ${salt})::bytea), 'base64'),
      case when st.status in ('InProgress', 'Completed') then t.starts_at + make_interval(mins => t.h % 5) end,
      case when st.status = 'Completed' then t.starts_at + make_interval(mins => t.duration) end,
      case when st.status = 'Completed' then (array['ended_by_provider', 'ended_by_provider', 'timeout', 'ended_by_patient'])[1 + t.h % 4] end,
      case when st.status = 'Expired' then t.starts_at + make_interval(mins => t.duration) end,
      c.created_at, greatest(c.created_at, least(now(), t.starts_at + make_interval(mins => t.duration)))
    from timed t
    cross join ids
    cross join lateral (select
      case when t.starts_at > now() then 'Pending'
           when t.starts_at + make_interval(mins => t.duration) > now() then 'InProgress'
           when t.h % 100 < 86 then 'Completed'
           else 'Expired' end as status,
      t.h % 10 = 0 and t.starts_at <= now() as immediate) st
    cross join lateral (select
      case when st.immediate then t.starts_at
           else least(now(), t.starts_at - make_interval(hours => 1 + t.h % (21 * 24))) end as created_at) c
`;
}

/** Where seedOrganization puts consultations, so all organizations' go into the table together, in the order they were created. */
export async function createSeedTable(sql: postgres.Sql): Promise<void> {
  await sql`create unlogged table bench_seed_consultations (like consultations including defaults)`;
}

/** The staged consultations into the real table (constraints and indexes checked there), oldest created first, as an app would have written them. */
export async function flushSeedTable(sql: postgres.Sql): Promise<void> {
  await sql`insert into consultations select * from bench_seed_consultations order by created_at, id`;
  await sql`drop table bench_seed_consultations`;
}
