using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Synapse.Binding;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>
/// What the audit row of a request says about the request's body: a refusal names its error's
/// code and field (never client text), a dropped field is named only when it is one the gateway
/// knows (a name a client made up is counted), and a body that starts with a byte-order mark is
/// read like any other (RFC 8259 §8.1).
/// </summary>
public sealed class RejectionRecordTests : IAsyncLifetime
{
    private const string Model = "m-record";

    private MockOpenAiUpstream _upstream = null!;
    private GatewayHost _gateway = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _upstream = await MockOpenAiUpstream.StartAsync();
        _gateway = await GatewayHost.StartAsync(GatewayHost.Provider("local", _upstream.BaseUrl, "on-prem", Model));
        var (_, secret) = await _gateway.CreateKeyAsync([Model]);
        _client = _gateway.ClientFor(secret);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task ARefusedPreviousResponseId_IsRecordedWithItsCodeAndParam()
    {
        using var response = await PostAsync("/v1/responses", $$"""{"model":"{{Model}}","input":"hi","previous_response_id":"resp_patient_john_smith"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var row = Assert.Single(await _gateway.AuditEventsOfAsync(response));
        Assert.Equal(("rejection", "invalid_request"), (row["kind"]!.GetValue<string>(), row["outcome"]!.GetValue<string>()));
        Assert.Equal("""{"error":{"code":"invalid_request_error","param":"previous_response_id"}}""", row["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task AMalformedBody_IsRecordedWithItsCodeAndNoParam()
    {
        using var response = await PostAsync("/v1/chat/completions", """{"model":""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var row = Assert.Single(await _gateway.AuditEventsOfAsync(response));
        Assert.Equal("""{"error":{"code":"invalid_request_error"}}""", row["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task ABodyTheFrontEndRefuses_IsRecordedWithItsCode()
    {
        using var content = new StringContent("{}", Encoding.UTF8, "text/plain");
        using var response = await _client.PostAsync("/v1/chat/completions", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var row = Assert.Single(await _gateway.AuditEventsOfAsync(response));
        Assert.Equal("""{"error":{"code":"unsupported_media_type"}}""", row["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task AFieldNameTheClientMadeUp_IsCounted_NeverRecordedOrEchoed()
    {
        var body = $$$"""{"model":"{{{Model}}}","messages":[{"role":"user","content":"hi"}],"metadata":{"ticket":"T-1"},"patient_john_smith_hiv_positive":1,"x_trace":"abc","thinking":{"type":"enabled"}}""";

        using var response = await PostAsync("/v1/chat/completions", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("metadata, (2 unknown), thinking", response.Headers.GetValues(DroppedFields.HeaderName).Single());
        var request = Assert.Single(await _gateway.AuditEventsOfAsync(response), e => e["kind"]!.GetValue<string>() == "request");
        Assert.Equal("""{"droppedFields":["metadata","(2 unknown)","thinking"]}""", request["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task AV1BodyStartingWithAByteOrderMark_IsRead()
    {
        using var response = await PostAsync("/v1/chat/completions", $$"""{"model":"{{Model}}","messages":[{"role":"user","content":"hi"}]}""", byteOrderMark: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AnAdminBodyStartingWithAByteOrderMark_IsRead()
    {
        using var content = new ByteArrayContent([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{"name":"bom-team"}""")]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await _gateway.Admin.PostAsync("/admin/api/teams", content);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string json, bool byteOrderMark = false)
    {
        byte[] bytes = byteOrderMark ? [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(json)] : Encoding.UTF8.GetBytes(json);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await _client.PostAsync(path, content);
    }
}
