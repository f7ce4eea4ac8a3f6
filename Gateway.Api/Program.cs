using Synapse.Gateway.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddSynapseGateway();

var app = builder.Build();
app.MapSynapseGateway();
await app.RunAsync();

/// <summary>The front end's entry point, public so that tests can host the real application.</summary>
public partial class Program;
