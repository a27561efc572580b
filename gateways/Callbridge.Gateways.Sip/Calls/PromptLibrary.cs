using Callbridge.PhoneMedia;

namespace Callbridge.Gateways.Sip;

/// <summary>The prompts embedded in Callbridge.PhoneMedia, loaded once per process.</summary>
internal static class PromptLibrary
{
    private static readonly Lazy<PhonePrompts> Prompts = new(PhonePrompts.LoadDefault);

    public static PhonePrompts Default => Prompts.Value;
}
