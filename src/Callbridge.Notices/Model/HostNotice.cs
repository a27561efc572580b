using System.Text.Json.Serialization;

namespace Callbridge.Notices.Model;

/// <summary>
/// Something the host of a conference is told. Serialized as JSON with a <c>type</c> discriminator that is
/// also the SSE <c>event:</c> name and part of the webhook body; the type names are a public contract.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(DecisionNotice), DecisionNotice.TypeName)]
[JsonDerivedType(typeof(GatewayStateNotice), GatewayStateNotice.TypeName)]
[JsonDerivedType(typeof(E2eeImpactNotice), E2eeImpactNotice.TypeName)]
[JsonDerivedType(typeof(UnsupportedClientNotice), UnsupportedClientNotice.TypeName)]
[JsonDerivedType(typeof(SubscriberDroppedNotice), SubscriberDroppedNotice.TypeName)]
[JsonDerivedType(typeof(CaptionNotice), CaptionNotice.TypeName)]
[JsonDerivedType(typeof(CallProgressNotice), CallProgressNotice.TypeName)]
[JsonDerivedType(typeof(ConferenceEndedNotice), ConferenceEndedNotice.TypeName)]
public abstract record HostNotice(string ConferenceId, DateTimeOffset OccurredAt)
{
    [JsonIgnore]
    public abstract string Type { get; }
}
