using System.Collections.Frozen;

namespace Synapse.Binding;

/// <summary>
/// The property names the gateway knows from the client APIs it serves — OpenAI's Chat
/// Completions, Embeddings and Responses, Anthropic's Messages, and the vendor parameters of
/// vLLM and Ollama — at any depth of a request (messages, content parts, tools, formats). A name
/// recorded in the audit log or repeated in <c>x-synapse-dropped-fields</c> must be one of them:
/// a name a client made up (<c>patient_john_smith_hiv_positive</c>) is client text, and client
/// text never reaches the database (<see cref="DroppedFields"/>, <see cref="FieldPath"/>).
/// </summary>
public static class KnownFieldNames
{
    private static readonly FrozenSet<string> Names = FrozenSet.ToFrozenSet(
        [
            // OpenAI Chat Completions: the request.
            "model", "messages", "audio", "frequency_penalty", "function_call", "functions", "logit_bias", "logprobs",
            "max_completion_tokens", "max_tokens", "metadata", "modalities", "n", "parallel_tool_calls", "prediction",
            "presence_penalty", "prompt_cache_key", "prompt_cache_retention", "reasoning_effort", "response_format",
            "safety_identifier", "seed", "service_tier", "stop", "store", "stream", "stream_options", "temperature",
            "tool_choice", "tools", "top_logprobs", "top_p", "user", "verbosity", "web_search_options",
            "include_usage", "include_obfuscation",

            // Its messages, content parts, tool calls, tools and formats.
            "role", "content", "name", "tool_calls", "tool_call_id", "refusal", "annotations", "reasoning_content",
            "reasoning", "type", "text", "image_url", "url", "detail", "input_audio", "data", "format", "file", "file_id",
            "file_data", "filename", "id", "function", "arguments", "custom", "input", "description", "parameters",
            "strict", "json_schema", "schema", "grammar", "syntax", "definition", "allowed_tools", "mode", "voice",
            "search_context_size", "user_location", "approximate", "city", "country", "region", "timezone",

            // Embeddings.
            "dimensions", "encoding_format",

            // Vendor parameters (vLLM, Ollama and other OpenAI-compatible servers).
            "top_k", "min_p", "repetition_penalty", "min_tokens", "ignore_eos", "best_of", "use_beam_search",
            "length_penalty", "stop_token_ids", "include_stop_str_in_output", "skip_special_tokens",
            "spaces_between_special_tokens", "truncate_prompt_tokens", "guided_json", "guided_regex", "guided_choice",
            "guided_grammar", "guided_decoding_backend", "guided_whitespace_pattern", "structured_outputs",
            "chat_template", "chat_template_kwargs", "add_generation_prompt", "continue_final_message", "echo",
            "documents", "mm_processor_kwargs", "priority", "request_id", "return_tokens_as_token_ids", "keep_alive",
            "options", "think", "num_ctx", "num_predict", "raw", "suffix", "template", "images", "typical_p",
            "tfs_z", "mirostat", "mirostat_eta", "mirostat_tau", "repeat_penalty", "repeat_last_n", "extra_body",

            // Anthropic Messages: the request, its blocks, tools and settings.
            "max_tokens", "system", "user_id", "stop_sequences", "thinking", "budget_tokens", "container",
            "mcp_servers", "context_management", "inference_geo", "output_config", "output_format", "effort",
            "disable_parallel_tool_use", "source", "media_type", "cache_control", "ttl", "citations", "enabled",
            "tool_use_id", "is_error", "signature", "title", "context", "input_schema", "document", "image",
            "search_result", "redacted_thinking", "tool_use", "tool_result", "betas", "anthropic_version",
            "anthropic_beta", "top_k",

            // OpenAI Responses: the request, its items and settings.
            "instructions", "previous_response_id", "conversation", "background", "include", "max_output_tokens",
            "max_tool_calls", "prompt", "summary", "generate_summary", "truncation", "status", "call_id", "output",
            "input_text", "output_text", "input_image", "input_file", "variables", "version",
        ],
        StringComparer.Ordinal);

    /// <summary>Whether <paramref name="name"/> is a property name of a client API the gateway serves.</summary>
    public static bool Contains(string name) => Names.Contains(name);
}
