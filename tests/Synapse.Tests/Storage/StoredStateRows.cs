using System.Text;
using System.Text.Json.Nodes;
using Synapse.Persistence.Storage;

namespace Synapse.Tests.Storage;

/// <summary>
/// What someone with write access to the database does to a grain's row: reads its payload,
/// edits the state JSON in it and writes it back with raw SQL, keeping whatever else the row
/// holds (a sealed row keeps its seal, so the edit is exactly the one a seal must catch).
/// </summary>
internal static class StoredStateRows
{
    /// <summary>The payload of the one row of <paramref name="scopedType"/> (grain type and state name) and <paramref name="key"/>.</summary>
    public static async Task<byte[]?> ReadPayloadAsync(SynapseDatabase database, string scopedType, string key)
    {
        await using var connection = database.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM synapse_grain_state WHERE grain_type = @type AND grain_key = @key";
        Add(command, "type", scopedType);
        Add(command, "key", key);
        var value = await command.ExecuteScalarAsync();
        return value is null ? throw new InvalidOperationException($"No row of {scopedType} for {key}.") : value as byte[];
    }

    public static async Task WritePayloadAsync(SynapseDatabase database, string scopedType, string key, byte[]? payload)
    {
        await using var connection = database.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE synapse_grain_state SET payload = @payload WHERE grain_type = @type AND grain_key = @key";
        Add(command, "type", scopedType);
        Add(command, "key", key);
        Add(command, "payload", (object?)payload ?? DBNull.Value);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>Inserts a row as a release before sealing wrote it: the state's JSON itself, version 1.</summary>
    public static async Task InsertUnsealedAsync(SynapseDatabase database, string serviceId, string scopedType, string key, string json)
    {
        await using var connection = database.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO synapse_grain_state (service_id, grain_type, grain_id_n0, grain_id_n1, grain_key, payload, version)
            VALUES (@service, @type, 0, 0, @key, @payload, 1)
            """;
        Add(command, "service", serviceId);
        Add(command, "type", scopedType);
        Add(command, "key", key);
        Add(command, "payload", Encoding.UTF8.GetBytes(json));
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>Edits the state JSON of a row in place: inside the envelope when the row is sealed, the whole payload otherwise.</summary>
    public static async Task EditStateAsync(SynapseDatabase database, string scopedType, string key, Action<JsonObject> edit)
    {
        var payload = await ReadPayloadAsync(database, scopedType, key) ?? throw new InvalidOperationException("The row is cleared.");
        var root = JsonNode.Parse(payload)!.AsObject();
        if (root[SealedEnvelope.StateProperty] is JsonValue inner)
        {
            var state = JsonNode.Parse(inner.GetValue<string>())!.AsObject();
            edit(state);
            root[SealedEnvelope.StateProperty] = state.ToJsonString();
        }
        else
        {
            edit(root);
        }

        await WritePayloadAsync(database, scopedType, key, Encoding.UTF8.GetBytes(root.ToJsonString()));
    }

    private static void Add(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
