import { SqliteAdapter, type ColumnDefinitionBuilder, type Kysely } from "kysely";

/**
 * The one place where migrations differ by dialect: an auto-numbered primary key.
 * SQLite uses AUTOINCREMENT (ids are never reused); PostgreSQL an identity column.
 */
export function idColumn(db: Kysely<any>) {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  return (col: ColumnDefinitionBuilder) =>
    sqlite ? col.primaryKey().autoIncrement() : col.primaryKey().generatedByDefaultAsIdentity();
}
