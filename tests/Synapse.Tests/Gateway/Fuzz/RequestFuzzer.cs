using System.Globalization;
using System.Text;
using Synapse.Keys;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway.Fuzz;

/// <summary>
/// Builds one mutated <c>/v1</c> request per case from a seed: a valid request (chat, streamed
/// chat, tools, embeddings, model list) whose body, framing and headers are then damaged in
/// random ways. Every request is well-formed HTTP up to its headers (what Kestrel itself refuses
/// never reaches the gateway and is not the gateway's to audit); everything after that is fair game.
/// </summary>
internal sealed class RequestFuzzer(string secret, string model)
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x08, 0x1f, 0x7f, 0x80, 0xbf, 0xc0, 0xc3, 0xed, 0xf0, 0xf4, 0xf8, 0xff, (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)':', (byte)' ', (byte)'\n'];

    private static readonly string[] InterestingText =
    [
        "\\ud800", "\\udc00", "\\udbff\\udfff", "\\ud83d\\ude00", "\\u0000", "\\u001b", "\\u2028", "\\\"", "\\\\", "\\/",
        "\\uZZZZ", "\\x41", "1e400", "-0", "99999999999999999999999", "null", "true", "[]", "{}", "\"\"", "🙂", "é", "\u200b",
    ];

    public FuzzCase Create(int seed, int index)
    {
        var random = new Random(HashCode.Combine(seed, index));
        var (path, body) = BaseRequest(random);
        var notes = new List<string> { path };
        if (body is not null && random.NextDouble() < 0.8)
        {
            body = MutateBody(random, body, notes);
        }

        var headers = new List<(string Name, string Value)>();
        AddAuthorization(random, headers, notes);
        if (body is null)
        {
            return Build(path, "GET", headers, null, notes);
        }

        AddContentType(random, headers, notes);
        if (random.NextDouble() < 0.05)
        {
            headers.Add(("Expect", "100-continue"));
            notes.Add("expect 100-continue");
        }

        if (random.NextDouble() < 0.02)
        {
            headers.Add(("User-Agent", "fuzz\t" + new string('u', random.Next(300))));
            notes.Add("long user-agent with a tab");
        }

        return Frame(random, path, headers, body, notes);
    }

    private (string Path, byte[]? Body) BaseRequest(Random random)
    {
        var content = JsonString(random.Next(4) switch
        {
            0 => "hello",
            1 => new string('x', random.Next(1, 2000)),
            2 => "Write a haiku about gateways.",
            _ => "multi\nline\ttext with \"quotes\"",
        });
        var text = random.Next(10) switch
        {
            0 or 1 or 2 => ("/v1/chat/completions", $$"""{"model":"{{model}}","messages":[{"role":"user","content":{{content}}}]}"""),
            3 or 4 => ("/v1/chat/completions", $$"""{"model":"{{model}}","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":{{content}}}]}"""),
            5 => ("/v1/chat/completions", $$"""{"model":"{{model}}","temperature":0.2,"max_tokens":64,"n":1,"stop":["\n\n"],"messages":[{"role":"assistant","content":"hi"},{"role":"user","content":[{"type":"text","text":{{content}}}]}]}"""),
            6 => ("/v1/chat/completions", "{\"model\":\"" + model + "\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}}],\"messages\":[{\"role\":\"user\",\"content\":" + content + "}]}"),
            7 => ("/v1/embeddings", $$"""{"model":"{{GatewayFixture.EmbeddingModel}}","input":{{content}}}"""),
            8 => ("/v1/embeddings", $$"""{"model":"{{GatewayFixture.EmbeddingModel}}","input":[{{content}},"second"]}"""),
            _ => ("/v1/models", (string?)null),
        };
        return (text.Item1, text.Item2 is null ? null : Encoding.UTF8.GetBytes(text.Item2));
    }

    private static byte[] MutateBody(Random random, byte[] body, List<string> notes)
    {
        var bytes = new List<byte>(body);
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(12))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    notes.Add($"flip bit at {at}");
                    break;
                case 1:
                    bytes.Insert(at, InterestingBytes[random.Next(InterestingBytes.Length)]);
                    notes.Add($"insert byte 0x{bytes[at]:x2} at {at}");
                    break;
                case 2:
                    var length = random.Next(1, Math.Min(32, bytes.Count - at) + 1);
                    bytes.RemoveRange(at, length);
                    notes.Add($"delete {length} at {at}");
                    break;
                case 3:
                    var span = bytes.GetRange(at, random.Next(1, Math.Min(64, bytes.Count - at) + 1));
                    bytes.InsertRange(at, span);
                    notes.Add($"duplicate {span.Count} at {at}");
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    notes.Add($"truncate at {at}");
                    break;
                case 5:
                case 6:
                    var text = InterestingText[random.Next(InterestingText.Length)];
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(text));
                    notes.Add($"insert {text} at {at}");
                    break;
                case 7:
                    ReplaceModel(random, bytes, notes);
                    break;
                case 8:
                    var depth = random.Next(1, 200);
                    var nested = Encoding.ASCII.GetBytes(",\"deep\":" + new string('[', depth) + new string(']', depth));
                    InsertAfterFirstBrace(bytes, nested);
                    notes.Add($"nest {depth} deep");
                    break;
                case 9:
                    var field = random.Next(5) switch
                    {
                        0 => ",\"model\":\"gpt-4o\"",
                        1 => ",\"stream\":\"yes\"",
                        2 => ",\"max_tokens\":1e400",
                        3 => ",\"n\":-7",
                        _ => ",\"api_base\":\"http://169.254.169.254\"",
                    };
                    InsertAfterFirstBrace(bytes, Encoding.ASCII.GetBytes(field));
                    notes.Add($"add field {field}");
                    break;
                case 10:
                    var repeat = Encoding.UTF8.GetBytes(new string('a', random.Next(1, 3_000)));
                    bytes.InsertRange(at, repeat);
                    notes.Add($"insert {repeat.Length} letters at {at}");
                    break;
                default:
                    bytes[at] = (byte)random.Next(256);
                    notes.Add($"set byte at {at} to 0x{bytes[at]:x2}");
                    break;
            }
        }

        return [.. bytes];
    }

    private static void ReplaceModel(Random random, List<byte> bytes, List<string> notes)
    {
        var text = Encoding.Latin1.GetString([.. bytes]);
        var start = text.IndexOf("\"model\":\"", StringComparison.Ordinal);
        if (start < 0)
        {
            return;
        }

        start += "\"model\":\"".Length;
        var end = text.IndexOf('"', start);
        if (end < 0)
        {
            return;
        }

        var replacement = random.Next(6) switch
        {
            0 => "llama3\\u0000",
            1 => new string('m', random.Next(200, 5000)),
            2 => "llama3\\n",
            3 => "\\ud800",
            4 => "",
            _ => "llama3\\u200b",
        };
        bytes.RemoveRange(start, end - start);
        bytes.InsertRange(start, Encoding.UTF8.GetBytes(replacement));
        notes.Add($"model := {(replacement.Length > 20 ? replacement.Length + " chars" : replacement)}");
    }

    private static void InsertAfterFirstBrace(List<byte> bytes, byte[] text)
    {
        var brace = bytes.IndexOf((byte)'{');
        if (brace >= 0)
        {
            // After the first member, so that the result stays an object with a leading member.
            var comma = bytes.IndexOf((byte)',', brace);
            bytes.InsertRange(comma >= 0 ? comma : brace + 1, text);
        }
    }

    private void AddAuthorization(Random random, List<(string, string)> headers, List<string> notes)
    {
        var roll = random.NextDouble();
        (string Value, string Note)? authorization = roll switch
        {
            < 0.85 => ("Bearer " + secret, "valid key"),
            < 0.88 => ((string Value, string Note)?)null,
            < 0.91 => ("Bearer " + ApiKeySecrets.Generate(), "unknown key"),
            < 0.93 => ("Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes("user:" + secret)), "basic"),
            < 0.95 => ("bearer   " + secret + "  ", "lower-case scheme, padded"),
            < 0.97 => ("Bearer " + secret[..^1], "truncated key"),
            _ => ("Bearer " + new string('A', random.Next(0, 5000)), "long garbage"),
        };
        if (authorization is { } a)
        {
            headers.Add(("Authorization", a.Value));
            notes.Add(a.Note);
        }
        else
        {
            notes.Add("no authorization");
        }
    }

    private static void AddContentType(Random random, List<(string, string)> headers, List<string> notes)
    {
        var roll = random.NextDouble();
        var contentType = roll switch
        {
            < 0.9 => "application/json",
            < 0.92 => "application/json; charset=UTF-8",
            < 0.94 => "text/plain",
            < 0.96 => "application/json; charset=iso-8859-1",
            < 0.98 => "application/x-www-form-urlencoded",
            _ => null,
        };
        if (contentType is not null)
        {
            headers.Add(("Content-Type", contentType));
        }

        notes.Add("content-type " + (contentType ?? "none"));
    }

    private static FuzzCase Frame(Random random, string path, List<(string, string)> headers, byte[] body, List<string> notes)
    {
        var roll = random.NextDouble();
        if (roll < 0.8)
        {
            headers.Add(("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture)));
            return Build(path, "POST", headers, body, notes);
        }

        headers.Add(("Transfer-Encoding", "chunked"));
        var framed = RawHttp.Chunked(body, random.Next(1, Math.Max(2, body.Length)));
        if (roll < 0.9)
        {
            notes.Add("chunked");
            return Build(path, "POST", headers, framed, notes);
        }

        var broken = new List<byte>(framed);
        var at = random.Next(broken.Count);
        switch (random.Next(4))
        {
            case 0:
                broken.InsertRange(0, "zz\r\n"u8.ToArray());
                notes.Add("chunked, size not hex");
                break;
            case 1:
                broken.RemoveRange(at, Math.Min(2, broken.Count - at));
                broken.AddRange("0\r\n\r\n"u8.ToArray());
                notes.Add($"chunked, 2 framing bytes lost at {at}");
                break;
            case 2:
                broken.InsertRange(0, "fffffffffffffffffffff\r\n"u8.ToArray());
                notes.Add("chunked, size overflows");
                break;
            default:
                broken.InsertRange(0, "5;ext=\"unterminated\r\nhello\r\n"u8.ToArray());
                notes.Add("chunked, odd extension");
                break;
        }

        return Build(path, "POST", headers, [.. broken], notes);
    }

    private static FuzzCase Build(string path, string method, List<(string Name, string Value)> headers, byte[]? body, List<string> notes)
    {
        var head = RawHttp.Head(path, headers);
        if (method == "GET")
        {
            head = Encoding.Latin1.GetBytes("GET" + Encoding.Latin1.GetString(head)["POST".Length..]);
        }

        return new FuzzCase(string.Join("; ", notes), body is null ? head : [.. head, .. body]);
    }

    private static string JsonString(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
