using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Synapse.Tests.Console;

/// <summary>An HTTP client signed in to the console API the way a browser is: a session cookie and the antiforgery token.</summary>
public sealed class ConsoleSession : IDisposable
{
    private ConsoleSession(HttpClient http, CookieContainer cookies, HttpResponseMessage signIn, JsonObject? body)
    {
        Http = http;
        Cookies = cookies;
        SignIn = signIn;
        Body = body;
        CsrfToken = body?["csrfToken"]?.GetValue<string>();
        Username = body?["username"]?.GetValue<string>();
    }

    public HttpClient Http { get; }

    public CookieContainer Cookies { get; }

    public string? CsrfToken { get; }

    public HttpResponseMessage SignIn { get; }

    /// <summary>The sign-in answer's body (null when refused).</summary>
    public JsonObject? Body { get; }

    public string? Username { get; }

    public static async Task<ConsoleSession> SignInAsync(Uri baseAddress, string username, string password)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = baseAddress };
        var response = await http.PostAsJsonAsync("/admin/api/session", new { username, password });
        var body = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
        return new ConsoleSession(http, cookies, response, body);
    }

    /// <summary>Sends a request with the session cookie and, when <paramref name="withCsrf"/>, the antiforgery token.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, bool withCsrf = true)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (withCsrf && CsrfToken is not null)
        {
            request.Headers.Add("X-CSRF-Token", CsrfToken);
        }

        return Http.SendAsync(request);
    }

    /// <summary>The raw session cookie, for replaying it after sign-out.</summary>
    public string CookieHeader(Uri baseAddress) => Cookies.GetCookieHeader(baseAddress);

    public void Dispose() => Http.Dispose();
}
