namespace Callbridge.Gateways.Recording.Tests;

/// <summary>Tests that run real-time media (Chromium, Janus, a recording process, Azurite) one at a time: their time bounds assume the machine is not shared with each other.</summary>
[CollectionDefinition(Name)]
public sealed class RealMediaCollection
{
    public const string Name = "real media";
}
