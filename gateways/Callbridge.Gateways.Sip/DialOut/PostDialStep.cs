namespace Callbridge.Gateways.Sip;

/// <summary>One step of <see cref="PostDialDigits"/>: keys to send, or (with no keys) a pause.</summary>
internal readonly record struct PostDialStep(string Keys, TimeSpan Pause);
