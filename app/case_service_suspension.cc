// Opschorting: suspending and resuming a case's deadline are commands on the
// case like a transition (CaseService::CommitStep): need-to-know, the
// client's version, the engine's rules (engine::SuspendDeadline and
// ResumeDeadline), then the new deadline list, its event and the audit
// entry in one write set. The state, level and history stay as they are.
#include "app/case_service.h"

namespace casus::app {

StatusOr<storage::CaseRecord> CaseService::SuspendDeadline(const std::string& case_id, const std::string& deadline_id,
                                                           std::int64_t expected_version, const std::string& reason,
                                                           const Caller& caller, const AnswerBuilder& answer) {
  RETURN_IF_ERROR(RequireCaseWorker(caller));
  // The suspension's reason is this command's why in the audit entry.
  const CaseStep step{"deadline.suspend", reason, "",
                      [&](const engine::WorkflowDefinition& def, const engine::CaseState& state,
                          const engine::Context& ctx) {
                        return engine::SuspendDeadline(def, state, deadline_id, reason, caller.actor, ctx);
                      }};
  return CommitStep(case_id, expected_version, step, caller, answer);
}

StatusOr<storage::CaseRecord> CaseService::ResumeDeadline(const std::string& case_id, const std::string& deadline_id,
                                                          std::int64_t expected_version, const Caller& caller,
                                                          const AnswerBuilder& answer) {
  RETURN_IF_ERROR(RequireCaseWorker(caller));
  const CaseStep step{"deadline.resume", caller.reason, "",
                      [&](const engine::WorkflowDefinition& def, const engine::CaseState& state,
                          const engine::Context& ctx) {
                        return engine::ResumeDeadline(def, state, deadline_id, caller.actor, ctx);
                      }};
  return CommitStep(case_id, expected_version, step, caller, answer);
}

}  // namespace casus::app
