package dev.exitrl.task.group;

import dev.exitrl.taskapi.GroupsApi;
import dev.exitrl.taskapi.SubmitGroup;
import dev.exitrl.taskapi.SubmitGroups;
import dev.exitrl.taskapi.SubmitOutcome;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.RestController;

/** Workers submit each rolled-out group once (idempotently); the buffer and the training queue update with it. */
@RestController
class GroupController implements GroupsApi {
    private final GroupService groups;

    GroupController(GroupService groups) {
        this.groups = groups;
    }

    @Override
    public SubmitOutcome submitGroup(UUID experimentId, SubmitGroup request) {
        return groups.submit(experimentId, request);
    }

    @Override
    public List<SubmitOutcome> submitGroups(UUID experimentId, SubmitGroups request) {
        return groups.submitAll(experimentId, request.groups());
    }
}
