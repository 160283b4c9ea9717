using Periscope.Delivery.Otlp;
using Periscope.Tests.Support;

namespace Periscope.Tests.Delivery;

/// <summary>The resource: the client's attributes, then OTEL_RESOURCE_ATTRIBUTES, then OTEL_SERVICE_NAME.</summary>
public sealed class OtlpResourceTests
{
    [Fact]
    public void UserAttributesAndServiceName_AreAddedOverTheClients()
    {
        string? Variable(string name) => name switch
        {
            "OTEL_RESOURCE_ATTRIBUTES" => "deployment.environment.name=ci, team=ai%20tools ,host.arch=override,broken",
            "OTEL_SERVICE_NAME" => "periscope-team",
            _ => null,
        };

        var attributes = OtlpResource.FromEnvironment(Variable).For(FullEvents.Client).Items.ToDictionary(i => i.Key, i => i.Value);

        Assert.Equal("periscope-team", attributes["service.name"]);
        Assert.Equal("0.1.0", attributes["service.version"]);
        Assert.Equal("linux", attributes["os.type"]);
        Assert.Equal("override", attributes["host.arch"]);
        Assert.Equal("ci", attributes["deployment.environment.name"]);
        Assert.Equal("ai tools", attributes["team"]);
        Assert.False(attributes.ContainsKey("broken"));
    }

    [Fact]
    public void Nothing_Set_IsTheClientAlone()
    {
        var attributes = OtlpResource.FromEnvironment(_ => null).For(FullEvents.Client).Items.Select(i => i.Key);

        Assert.Equal(["service.name", "service.version", "os.type", "host.arch"], attributes);
    }
}
