using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Pipeline.Fetching;
using Pipeline.State;
using Pipeline.Telemetry;

namespace Pipeline.Sinks;

/// <summary>
/// Writes results to a SQLite database: table <c>results</c>, one row per result with the columns of
/// <see cref="ResultColumns"/> after an <c>id</c> that counts the rows, indexed by URL and by outcome.
/// </summary>
/// <remarks>
/// Rows are inserted inside a transaction that <see cref="FlushAsync"/> commits (the sink stage flushes at
/// most every 100 ms), so W2's hundred thousand results cost hundreds of commits, not a hundred
/// thousand. WAL with <c>synchronous=FULL</c>: a commit is on the disk when it returns, and readers
/// (<c>sqlite3 results.db</c>) can query while the batch runs. The position a checkpoint records is the
/// last committed <c>id</c>; a resumed batch deletes the rows after it, so every line keeps one row.
/// </remarks>
public sealed class SqliteResultSink : IResultFile
{
    /// <summary>The table the results go to.</summary>
    public const string Table = "results";

    // Rows per transaction at most, even when the result channel never runs dry: keeps the WAL small.
    private const int MaxRowsPerTransaction = 20_000;

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter[] _values;
    private readonly SqliteParameter _id;
    private readonly UrlRedactor _redactor;
    private SqliteTransaction? _transaction;
    private long _lastId;
    private int _rowsInTransaction;

    static SqliteResultSink()
    {
        // Said out loud rather than left to Microsoft.Data.Sqlite's reflection, which trimming may not keep.
        SQLitePCL.Batteries_V2.Init();
    }

    private SqliteResultSink(SqliteConnection connection, long lastId, UrlRedactor? redactor)
    {
        _connection = connection;
        _redactor = redactor ?? UrlRedactor.Default;
        _lastId = lastId;
        FlushedLength = lastId;
        var columns = ResultColumns.All;
        _insert = connection.CreateCommand();
        _insert.CommandText = string.Create(CultureInfo.InvariantCulture, $"INSERT INTO {Table} (id, {string.Join(", ", columns.Select(c => Quote(c.Name)))}) VALUES ($id, {string.Join(", ", columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})");
        _id = _insert.Parameters.Add("$id", SqliteType.Integer);
        _values = [.. columns.Select((c, i) => _insert.Parameters.Add("$p" + i.ToString(CultureInfo.InvariantCulture), TypeOf(c.Kind)))];
    }

    /// <inheritdoc />
    /// <remarks>The last committed row's <c>id</c>, which is also the number of rows.</remarks>
    public long FlushedLength { get; private set; }

    /// <summary>Opens the database of a batch, creating the table and its indexes, and deletes the rows after the checkpoint.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="resumeAt">The row count the checkpoint recorded, or <see langword="null"/> for a new batch (the table starts empty).</param>
    /// <param name="logger">Where to say what was deleted.</param>
    /// <param name="redactor">How URLs and error texts are written.</param>
    /// <returns>The sink.</returns>
    /// <exception cref="BatchStateException">The table holds fewer rows than the checkpoint recorded, or the file is not a SQLite database.</exception>
    public static SqliteResultSink OpenForBatch(string path, long? resumeAt, ILogger? logger = null, UrlRedactor? redactor = null)
    {
        ResultFileStream.CreateFolder(path);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
            CreateTable(connection);
            var rows = Convert.ToInt64(Scalar(connection, $"SELECT COALESCE(MAX(id), 0) FROM {Table}"), CultureInfo.InvariantCulture);
            var keep = resumeAt ?? 0;
            if (keep > rows)
            {
                throw new BatchStateException(path, $"{Path.GetFullPath(path)} holds {rows} result row(s) but the saved checkpoint recorded {keep}: it was replaced or changed since the batch stopped. Move it back, or run with --fresh (Pipeline:Fresh=true) to start the batch again.") { Problem = BatchStateProblem.Damaged };
            }

            if (keep < rows)
            {
                Execute(connection, string.Create(CultureInfo.InvariantCulture, $"DELETE FROM {Table} WHERE id > {keep}"));
                if (resumeAt is not null && logger is not null)
                {
                    Log.ResultRowsDeleted(logger, path, rows - keep, keep);
                }
            }

            return new SqliteResultSink(connection, keep, redactor);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new BatchStateException(path, $"{Path.GetFullPath(path)} cannot be used as the results database: {ex.Message}") { Problem = BatchStateProblem.Damaged };
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(FetchResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        _transaction ??= _connection.BeginTransaction();
        _insert.Transaction = _transaction;
        _id.Value = ++_lastId;
        var columns = ResultColumns.All;
        for (var i = 0; i < columns.Count; i++)
        {
            _values[i].Value = columns[i].Value(result, _redactor) ?? DBNull.Value;
        }

        _insert.ExecuteNonQuery();
        if (++_rowsInTransaction >= MaxRowsPerTransaction)
        {
            // Committed but not counted: only a flush moves the checkpointed position.
            Commit();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Commits the open transaction; with <c>synchronous=FULL</c> the rows are on the disk when it returns.</remarks>
    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        Commit();
        FlushedLength = _lastId;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        try
        {
            Commit();
        }
        finally
        {
            _insert.Dispose();
            _connection.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static void CreateTable(SqliteConnection connection)
    {
        var columns = ResultColumns.All;
        var sql = new StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $"CREATE TABLE IF NOT EXISTS {Table} (id INTEGER PRIMARY KEY");
        foreach (var column in columns)
        {
            sql.Append(CultureInfo.InvariantCulture, $", {Quote(column.Name)} {Declared(column.Kind)}");
        }

        sql.Append(CultureInfo.InvariantCulture, $"); CREATE INDEX IF NOT EXISTS {Table}_url ON {Table} (url); CREATE INDEX IF NOT EXISTS {Table}_outcome ON {Table} (outcome);");
        Execute(connection, sql.ToString());

        // A database written before a column was added gains it (empty for the old rows).
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using (var info = connection.CreateCommand())
        {
            info.CommandText = $"SELECT name FROM pragma_table_info('{Table}')";
            using var reader = info.ExecuteReader();
            while (reader.Read())
            {
                existing.Add(reader.GetString(0));
            }
        }

        foreach (var column in columns.Where(c => !existing.Contains(c.Name)))
        {
            Execute(connection, $"ALTER TABLE {Table} ADD COLUMN {Quote(column.Name)} {Declared(column.Kind)}");
        }
    }

    private void Commit()
    {
        _transaction?.Commit();
        _transaction?.Dispose();
        _transaction = null;
        _rowsInTransaction = 0;
    }

    private static string Quote(string name) => "\"" + name + "\"";

    private static string Declared(ResultColumnKind kind) => kind switch
    {
        ResultColumnKind.WholeNumber => "INTEGER",
        ResultColumnKind.Number => "REAL",
        _ => "TEXT",
    };

    private static SqliteType TypeOf(ResultColumnKind kind) => kind switch
    {
        ResultColumnKind.WholeNumber => SqliteType.Integer,
        ResultColumnKind.Number => SqliteType.Real,
        _ => SqliteType.Text,
    };

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
