using System.ComponentModel.DataAnnotations;
using Callbridge.Negotiation;

namespace Callbridge.Gateways.Host.Api;

/// <summary>The tenants this host serves, bound from "Callbridge:Tenants".</summary>
public sealed class TenantOptions : IValidatableObject
{
    public const string SectionName = "Callbridge";

    /// <summary>Each tenant with its API keys and policy. Keys are secrets: keep them out of committed settings in production.</summary>
    public List<TenantEntry> Tenants { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var seenKeys = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Tenants.Count; i++)
        {
            TenantEntry t = Tenants[i];
            if (string.IsNullOrWhiteSpace(t.Id))
                yield return new ValidationResult($"Tenants[{i}].Id is required.", [$"Tenants[{i}].Id"]);
            if (t.ApiKeys.Count == 0)
                yield return new ValidationResult($"Tenants[{i}] ('{t.Id}') has no ApiKeys.", [$"Tenants[{i}].ApiKeys"]);
            foreach (string key in t.ApiKeys)
            {
                // 16 characters is the floor for a key that cannot be guessed by trying.
                if (key.Length < 16)
                    yield return new ValidationResult($"Tenants[{i}] ('{t.Id}') has an API key shorter than 16 characters.", [$"Tenants[{i}].ApiKeys"]);
                if (!seenKeys.Add(key))
                    yield return new ValidationResult($"An API key of tenant '{t.Id}' is also used by another tenant.", [$"Tenants[{i}].ApiKeys"]);
            }
            foreach (ValidationResult webhookError in ValidateWebhook(t, i)) yield return webhookError;
        }
    }

    /// <summary>Webhook URL and secret come together; the URL is absolute http(s), plain http only to a
    /// loopback receiver (a signed body still travels in clear text otherwise); the secret is long enough
    /// that the HMAC cannot be brute-forced.</summary>
    private static IEnumerable<ValidationResult> ValidateWebhook(TenantEntry t, int i)
    {
        bool hasUrl = !string.IsNullOrWhiteSpace(t.WebhookUrl);
        bool hasSecret = !string.IsNullOrEmpty(t.WebhookSecret);
        if (hasUrl != hasSecret)
        {
            yield return new ValidationResult($"Tenants[{i}] ('{t.Id}') must set WebhookUrl and WebhookSecret together.",
                [$"Tenants[{i}].WebhookUrl", $"Tenants[{i}].WebhookSecret"]);
            yield break;
        }
        if (!hasUrl) yield break;
        if (!Uri.TryCreate(t.WebhookUrl, UriKind.Absolute, out Uri? url) || url.Scheme is not ("https" or "http"))
            yield return new ValidationResult($"Tenants[{i}] ('{t.Id}') WebhookUrl must be an absolute https URL.", [$"Tenants[{i}].WebhookUrl"]);
        else if (url.Scheme == "http" && !url.IsLoopback)
            yield return new ValidationResult($"Tenants[{i}] ('{t.Id}') WebhookUrl must use https (plain http only to a loopback receiver).", [$"Tenants[{i}].WebhookUrl"]);
        else if (!string.IsNullOrEmpty(url.UserInfo))
            yield return new ValidationResult($"Tenants[{i}] ('{t.Id}') WebhookUrl must not carry credentials; the signature authenticates the host.", [$"Tenants[{i}].WebhookUrl"]);
        // 32 characters: the advice is 32 random bytes; a shorter shared key weakens HMAC-SHA256 to guessing.
        if (t.WebhookSecret!.Length < TenantEntry.MinWebhookSecretLength)
            yield return new ValidationResult($"Tenants[{i}] ('{t.Id}') WebhookSecret is shorter than {TenantEntry.MinWebhookSecretLength} characters.", [$"Tenants[{i}].WebhookSecret"]);
    }
}

public sealed class TenantEntry
{
    public string Id { get; set; } = "";

    public List<string> ApiKeys { get; set; } = [];

    /// <summary>Every meeting of this tenant must be end-to-end encrypted.</summary>
    public bool RequireE2ee { get; set; }

    /// <summary>Groups (e.g. departments) whose meetings must be end-to-end encrypted.</summary>
    public List<string> E2eeRequiredGroups { get; set; } = [];

    /// <summary>Features switched off for this tenant, E2EE or not.</summary>
    public List<GatewayFeature> DisabledFeatures { get; set; } = [];

    public const int MinWebhookSecretLength = 32;

    /// <summary>Where this tenant's notices are posted (optional). https, or http to a loopback receiver.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The HMAC-SHA256 key the webhook body is signed with (UTF-8 bytes of this string). A secret:
    /// keep it out of committed settings in production.</summary>
    public string? WebhookSecret { get; set; }

    public TenantPolicy PolicyFor(string? group) => new(
        RequireE2ee,
        group is not null && E2eeRequiredGroups.Contains(group, StringComparer.Ordinal),
        DisabledFeatures.ToHashSet());
}
